//===- CApi.cpp - The C API over the C++ runtime --------------------------===//
//
// Each handle is a small reference-counted struct around the C++ object.
// Every entry point catches C++ exceptions (std::bad_alloc, shape errors)
// and turns them into a loom_status_t: no exception ever crosses into C.
//
//===----------------------------------------------------------------------===//

#include "CApiHandles.h"

#include "loom/rt/core/CInterop.h"

#include <cstring>

using namespace loom::capi;

extern "C" {

const char *loom_status_message(loom_status_t status) {
  return status ? status->message.c_str() : "OK";
}

void loom_status_free(loom_status_t status) { delete status; }

const char *loom_dtype_name(loom_dtype_t dtype) {
  return validDType(dtype) ? loom::rt::dtypeName(DType(dtype)) : "?";
}

loom_status_t loom_tensor_create(loom_dtype_t dtype, const int64_t *shape,
                                 size_t rank, const void *data,
                                 size_t data_size, loom_tensor_t **out_tensor) {
  return guarded("loom_tensor_create", [&]() -> loom_status_t {
    if (!out_tensor || (rank && !shape))
      return makeStatus("loom_tensor_create: null argument");
    *out_tensor = nullptr;
    if (!validDType(dtype))
      return makeStatus("loom_tensor_create: invalid dtype " +
                        std::to_string(dtype));
    loom::rt::TensorType type{DType(dtype),
                              std::vector<int64_t>(shape, shape + rank)};
    HostTensor t(type);
    if (data) {
      if (data_size != t.byteSize())
        return makeStatus("loom_tensor_create: " + type.str() + " needs " +
                          std::to_string(t.byteSize()) + " bytes, got " +
                          std::to_string(data_size));
      std::memcpy(t.data(), data, data_size);
    } else if (data_size != 0) {
      return makeStatus("loom_tensor_create: null data with data_size " +
                        std::to_string(data_size));
    }
    *out_tensor = new loom_tensor_t(std::move(t));
    return nullptr;
  });
}

void loom_tensor_retain(loom_tensor_t *tensor) { retainHandle(tensor); }
void loom_tensor_release(loom_tensor_t *tensor) { releaseHandle(tensor); }

loom_dtype_t loom_tensor_dtype(const loom_tensor_t *tensor) {
  return tensor ? loom_dtype_t(tensor->tensor.dtype()) : LOOM_DTYPE_INVALID;
}
size_t loom_tensor_rank(const loom_tensor_t *tensor) {
  return tensor ? tensor->tensor.shape().size() : 0;
}
const int64_t *loom_tensor_shape(const loom_tensor_t *tensor) {
  return tensor ? tensor->tensor.shape().data() : nullptr;
}
int64_t loom_tensor_element_count(const loom_tensor_t *tensor) {
  return tensor ? tensor->tensor.numElements() : 0;
}
size_t loom_tensor_byte_size(const loom_tensor_t *tensor) {
  return tensor ? tensor->tensor.byteSize() : 0;
}
const void *loom_tensor_data(const loom_tensor_t *tensor) {
  return tensor ? tensor->tensor.data() : nullptr;
}

void loom_executable_retain(loom_executable_t *executable) {
  retainHandle(executable);
}
void loom_executable_release(loom_executable_t *executable) {
  releaseHandle(executable);
}
const char *loom_executable_model_name(const loom_executable_t *executable) {
  return executable ? executable->executable->modelName.c_str() : "";
}

void loom_session_options_initialize(loom_session_options_t *options) {
  if (options)
    *options = loom_session_options_t{};
}

loom_status_t loom_session_create(loom_executable_t *executable,
                                  const loom_session_options_t *options,
                                  loom_session_t **out_session) {
  return guarded("loom_session_create", [&]() -> loom_status_t {
    if (!executable || !out_session)
      return makeStatus("loom_session_create: null argument");
    *out_session = nullptr;
    loom_session_options_t opts;
    loom_session_options_initialize(&opts);
    if (options)
      opts = *options;
    auto handle = std::make_unique<loom_session_t>();
    /// The session holds the shared_ptr, which is what keeps the code alive;
    /// the executable handle itself may be released right after this call.
    if (Status s = loom::rt::Session::create(executable->executable, opts.seed,
                                             handle->session);
        !s)
      return toC(s);
    *out_session = handle.release();
    return nullptr;
  });
}

void loom_session_retain(loom_session_t *session) { retainHandle(session); }
void loom_session_release(loom_session_t *session) { releaseHandle(session); }

loom_status_t
loom_session_run(loom_session_t *session, const char *entry, size_t input_count,
                 const char *const *input_names, loom_tensor_t *const *inputs,
                 size_t output_count, const char *const *output_names,
                 loom_tensor_t **out_outputs) {
  return guarded("loom_session_run", [&]() -> loom_status_t {
    if (!session || !entry || (input_count && (!input_names || !inputs)) ||
        (output_count && (!output_names || !out_outputs)))
      return makeStatus("loom_session_run: null argument");
    for (size_t i = 0; i < output_count; ++i)
      out_outputs[i] = nullptr;

    std::map<std::string, const HostTensor *> in;
    for (size_t i = 0; i < input_count; ++i) {
      if (!input_names[i] || !inputs[i])
        return makeStatus("loom_session_run: input " + std::to_string(i) +
                          " has a null name or tensor");
      if (!in.emplace(input_names[i], &inputs[i]->tensor).second)
        return makeStatus("loom_session_run: input '" +
                          std::string(input_names[i]) + "' given twice");
    }
    std::map<std::string, HostTensor> out;
    if (Status s = session->session->run(entry, in, out); !s)
      return toC(s);

    /// Check every requested name before handing out anything, so that on
    /// failure the caller owns nothing.
    for (size_t i = 0; i < output_count; ++i) {
      if (!output_names[i] || !out.count(output_names[i])) {
        std::string names;
        for (const auto &kv : out)
          names += (names.empty() ? "" : ", ") + kv.first;
        return makeStatus("loom_session_run: entry '" + std::string(entry) +
                          "' has no output '" +
                          (output_names[i] ? output_names[i] : "(null)") +
                          "' (outputs: " + names + ")");
      }
    }
    std::vector<loom_tensor_t *> handles;
    try {
      for (size_t i = 0; i < output_count; ++i) {
        /// Tensors are immutable, so an output requested twice shares one
        /// handle (retained once per request).
        loom_tensor_t *h = nullptr;
        for (size_t j = 0; j < i && !h; ++j)
          if (std::strcmp(output_names[j], output_names[i]) == 0)
            h = handles[j];
        if (h)
          retainHandle(h);
        else
          h = new loom_tensor_t(std::move(out.at(output_names[i])));
        handles.push_back(h);
      }
    } catch (...) {
      for (loom_tensor_t *h : handles)
        releaseHandle(h);
      throw;
    }
    for (size_t i = 0; i < output_count; ++i)
      out_outputs[i] = handles[i];
    return nullptr;
  });
}

loom_status_t loom_session_get_param(loom_session_t *session, const char *name,
                                     loom_tensor_t **out_tensor) {
  return guarded("loom_session_get_param", [&]() -> loom_status_t {
    if (!session || !name || !out_tensor)
      return makeStatus("loom_session_get_param: null argument");
    *out_tensor = nullptr;
    const HostTensor *p = session->session->param(name);
    if (!p)
      return makeStatus("loom_session_get_param: unknown parameter '" +
                        std::string(name) + "'");
    *out_tensor = new loom_tensor_t(p->clone());
    return nullptr;
  });
}

loom_status_t loom_session_set_param(loom_session_t *session, const char *name,
                                     const loom_tensor_t *value) {
  return guarded("loom_session_set_param", [&]() -> loom_status_t {
    if (!session || !name || !value)
      return makeStatus("loom_session_set_param: null argument");
    return toC(session->session->setParam(name, value->tensor.clone()));
  });
}

} // extern "C"

namespace loom::rt {

loom_executable_t *
wrapExecutable(std::shared_ptr<const Executable> executable) {
  if (!executable)
    return nullptr;
  return new loom_executable_t(std::move(executable));
}

const Executable *unwrapExecutable(const loom_executable_t *executable) {
  return executable ? executable->executable.get() : nullptr;
}

} // namespace loom::rt

//===- CApiArtifacts.cpp - The C API for artifacts, checkpoints, training -===//
//
// What an app that links only the runtime needs beyond running a given
// executable: loading a .loom artifact, asking it for its entries, inputs,
// outputs and parameters, loading and saving checkpoints, and training
// steps. Like CApi.cpp: every call checks its pointers, catches every C++
// exception and reports through loom_status_t.
//
//===----------------------------------------------------------------------===//

#include "CApiHandles.h"

#include "loom/rt/core/Artifact.h"
#include "loom/rt/core/SessionCheckpoint.h"

#include <map>

using namespace loom::capi;
namespace rt = loom::rt;

namespace {

void describe(const std::string &name, const rt::TensorType &t,
              loom_value_info_t *out) {
  out->name = name.c_str();
  out->dtype = loom_dtype_t(t.dtype);
  out->rank = t.shape.size();
  out->shape = t.shape.data();
}

/// The entry's arguments of one kind, or an error status.
loom_status_t argsOf(const char *fn, const loom_executable_t *exe,
                     const char *entry, rt::ArgKind kind,
                     std::vector<const rt::ArgSpec *> &out) {
  if (!exe || !entry)
    return makeStatus(std::string(fn) + ": null argument");
  const rt::EntryPoint *e = exe->executable->findEntry(entry);
  if (!e)
    return makeStatus(std::string(fn) + ": no entry '" + entry + "'");
  for (const rt::ArgSpec &a : e->args)
    if (a.kind == kind)
      out.push_back(&a);
  return nullptr;
}

loom_status_t loadInto(const char *fn, const uint8_t *data, size_t size,
                       const std::string &name, loom_executable_t **out) {
  if (!out)
    return makeStatus(std::string(fn) + ": null argument");
  *out = nullptr;
  std::shared_ptr<rt::Executable> exe;
  Status s = data ? rt::loadArtifactFromMemory(data, size, name, exe)
                  : rt::loadArtifact(name, exe);
  if (!s)
    return toC(s);
  *out = new loom_executable_t(std::move(exe));
  return nullptr;
}

} // namespace

extern "C" {

loom_status_t loom_executable_load(const char *path,
                                   loom_executable_t **out_executable) {
  return guarded("loom_executable_load", [&]() -> loom_status_t {
    if (!path)
      return makeStatus("loom_executable_load: null argument");
    return loadInto("loom_executable_load", nullptr, 0, path, out_executable);
  });
}

loom_status_t loom_executable_load_from_memory(const void *data, size_t size,
                                               loom_executable_t **out_executable) {
  return guarded("loom_executable_load_from_memory", [&]() -> loom_status_t {
    if (!data)
      return makeStatus("loom_executable_load_from_memory: null argument");
    return loadInto("loom_executable_load_from_memory",
                    static_cast<const uint8_t *>(data), size, "(memory)",
                    out_executable);
  });
}

size_t loom_executable_entry_count(const loom_executable_t *executable) {
  return executable ? executable->executable->entries.size() : 0;
}

const char *loom_executable_entry_name(const loom_executable_t *executable,
                                       size_t index) {
  if (!executable || index >= executable->executable->entries.size())
    return nullptr;
  return executable->executable->entries[index].name.c_str();
}

#define LOOM_ARG_FUNCTIONS(Count, Info, Kind)                                  \
  loom_status_t Count(const loom_executable_t *executable, const char *entry,  \
                      size_t *out_count) {                                     \
    return guarded(#Count, [&]() -> loom_status_t {                            \
      if (!out_count)                                                          \
        return makeStatus(#Count ": null argument");                           \
      std::vector<const rt::ArgSpec *> args;                                   \
      if (loom_status_t s = argsOf(#Count, executable, entry, Kind, args))     \
        return s;                                                              \
      *out_count = args.size();                                                \
      return nullptr;                                                          \
    });                                                                        \
  }                                                                            \
  loom_status_t Info(const loom_executable_t *executable, const char *entry,   \
                     size_t index, loom_value_info_t *out_info) {              \
    return guarded(#Info, [&]() -> loom_status_t {                             \
      if (!out_info)                                                           \
        return makeStatus(#Info ": null argument");                            \
      std::vector<const rt::ArgSpec *> args;                                   \
      if (loom_status_t s = argsOf(#Info, executable, entry, Kind, args))      \
        return s;                                                              \
      if (index >= args.size())                                                \
        return makeStatus(std::string(#Info ": index ") +                      \
                          std::to_string(index) + " is out of range (" +       \
                          std::to_string(args.size()) + ")");                  \
      describe(args[index]->name, args[index]->type, out_info);                \
      return nullptr;                                                          \
    });                                                                        \
  }

LOOM_ARG_FUNCTIONS(loom_executable_input_count, loom_executable_input_info,
                   rt::ArgKind::Input)
LOOM_ARG_FUNCTIONS(loom_executable_output_count, loom_executable_output_info,
                   rt::ArgKind::Output)
#undef LOOM_ARG_FUNCTIONS

size_t loom_executable_param_count(const loom_executable_t *executable) {
  return executable ? executable->executable->params.size() : 0;
}

loom_status_t loom_executable_param_info(const loom_executable_t *executable,
                                         size_t index,
                                         loom_value_info_t *out_info) {
  return guarded("loom_executable_param_info", [&]() -> loom_status_t {
    if (!executable || !out_info)
      return makeStatus("loom_executable_param_info: null argument");
    const auto &params = executable->executable->params;
    if (index >= params.size())
      return makeStatus("loom_executable_param_info: index " +
                        std::to_string(index) + " is out of range (" +
                        std::to_string(params.size()) + ")");
    describe(params[index].name, params[index].type, out_info);
    return nullptr;
  });
}

loom_status_t loom_session_load_checkpoint(loom_session_t *session,
                                           const char *path) {
  return guarded("loom_session_load_checkpoint", [&]() -> loom_status_t {
    if (!session || !path)
      return makeStatus("loom_session_load_checkpoint: null argument");
    return toC(rt::loadSessionCheckpoint(*session->session, path,
                                         rt::OptimizerStateLoad::IfPresent));
  });
}

loom_status_t loom_session_save_checkpoint(loom_session_t *session,
                                           const char *path) {
  return guarded("loom_session_save_checkpoint", [&]() -> loom_status_t {
    if (!session || !path)
      return makeStatus("loom_session_save_checkpoint: null argument");
    return toC(rt::saveSessionCheckpoint(*session->session, path));
  });
}

loom_status_t loom_session_train_step(loom_session_t *session,
                                      size_t input_count,
                                      const char *const *input_names,
                                      loom_tensor_t *const *inputs, double lr,
                                      double *out_loss) {
  return guarded("loom_session_train_step", [&]() -> loom_status_t {
    if (!session || !out_loss || (input_count && (!input_names || !inputs)))
      return makeStatus("loom_session_train_step: null argument");
    std::map<std::string, HostTensor> batch;
    for (size_t i = 0; i < input_count; ++i) {
      if (!input_names[i] || !inputs[i])
        return makeStatus("loom_session_train_step: input " +
                          std::to_string(i) + " has a null name or tensor");
      if (!batch.emplace(input_names[i], inputs[i]->tensor.clone()).second)
        return makeStatus("loom_session_train_step: input '" +
                          std::string(input_names[i]) + "' given twice");
    }
    std::map<std::string, HostTensor> out;
    if (Status st = session->session->trainStep(batch, lr, out); !st)
      return toC(st);
    *out_loss = out.at("loss").at(0);
    return nullptr;
  });
}

int64_t loom_session_step(const loom_session_t *session) {
  return session ? session->session->step() : 0;
}

size_t loom_session_state_count(const loom_session_t *session) {
  return session ? session->session->executable().states.size() : 0;
}

const char *loom_session_state_name(const loom_session_t *session,
                                    size_t index) {
  if (!session || index >= session->session->executable().states.size())
    return nullptr;
  return session->session->executable().states[index].name.c_str();
}

loom_status_t loom_session_get_state(loom_session_t *session, const char *name,
                                     loom_tensor_t **out_tensor) {
  return guarded("loom_session_get_state", [&]() -> loom_status_t {
    if (!session || !name || !out_tensor)
      return makeStatus("loom_session_get_state: null argument");
    *out_tensor = nullptr;
    const HostTensor *t = session->session->state(name);
    if (!t)
      return makeStatus("loom_session_get_state: unknown optimizer state '" +
                        std::string(name) + "'");
    *out_tensor = new loom_tensor_t(t->clone());
    return nullptr;
  });
}

} // extern "C"

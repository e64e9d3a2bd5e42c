/*===- runtime.h - Loom's C API for running compiled models -------------===//
//
// A C interface to the runtime for apps and language bindings: tensors,
// executables (a compiled model) and sessions (an executable plus its
// parameter values). It follows IREE's conventions: opaque handles, names of
// the form loom_noun_verb, and every call that can fail returns a
// loom_status_t, NULL meaning success.
//
// Ownership: handles are reference counted. A *_create call returns a handle
// holding one reference; *_retain adds one and *_release drops one, freeing
// the object at zero. Handles returned through out-parameters belong to the
// caller. A non-NULL loom_status_t belongs to the caller and must be freed
// with loom_status_free.
//
// Thread safety: tensors are immutable after creation and executables are
// read-only, so both may be shared and retained/released across threads.
// A session is thread-compatible: calls on one session must be serialized
// by the caller; distinct sessions may be used concurrently.
//
//===--------------------------------------------------------------------===*/
#ifndef LOOM_RUNTIME_H_
#define LOOM_RUNTIME_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===--- Status -----------------------------------------------------------===*/

/* NULL is success; anything else is an error carrying a message. */
typedef struct loom_status_s *loom_status_t;

/* The error message ("OK" for NULL). Valid until the status is freed. */
const char *loom_status_message(loom_status_t status);
/* Frees a status; NULL is allowed and does nothing. */
void loom_status_free(loom_status_t status);

/*===--- Element types ----------------------------------------------------===*/

/* One of the LOOM_DTYPE_* values. A fixed-width integer rather than the
 * enum type, so the ABI does not depend on the compiler's enum size and any
 * value a caller passes can be checked (an out-of-range enum is undefined
 * behaviour in C++). i1 is stored as one byte per element holding 0 or 1. */
typedef uint32_t loom_dtype_t;
enum loom_dtype_e {
  LOOM_DTYPE_F32 = 0,
  LOOM_DTYPE_F64 = 1,
  LOOM_DTYPE_I1 = 2,
  LOOM_DTYPE_I32 = 3,
  LOOM_DTYPE_I64 = 4,
};
/* What loom_tensor_dtype returns for a NULL tensor (not an enumerator: C
 * enumerators must fit an int). */
#define LOOM_DTYPE_INVALID ((loom_dtype_t)0xffffffffu)

/* "f32", "f64", "i1", "i32", "i64"; "?" for an invalid value. */
const char *loom_dtype_name(loom_dtype_t dtype);

/*===--- Tensors ----------------------------------------------------------===*/

/* An immutable, contiguous, row-major host tensor. */
typedef struct loom_tensor_t loom_tensor_t;

/* Creates a tensor of `dtype` and `shape[0..rank)`, copying `data_size`
 * bytes from `data`, which must be exactly the tensor's byte size. `data`
 * may be NULL (with data_size 0) for a zero-filled tensor. */
loom_status_t loom_tensor_create(loom_dtype_t dtype, const int64_t *shape,
                                 size_t rank, const void *data,
                                 size_t data_size, loom_tensor_t **out_tensor);
void loom_tensor_retain(loom_tensor_t *tensor);
void loom_tensor_release(loom_tensor_t *tensor);

/* The getters accept NULL and return LOOM_DTYPE_INVALID, 0 or NULL for it
 * (loom_executable_model_name: ""), so a failed create cannot crash them. */
loom_dtype_t loom_tensor_dtype(const loom_tensor_t *tensor);
size_t loom_tensor_rank(const loom_tensor_t *tensor);
/* `rank` dimensions, valid as long as the tensor lives. */
const int64_t *loom_tensor_shape(const loom_tensor_t *tensor);
int64_t loom_tensor_element_count(const loom_tensor_t *tensor);
size_t loom_tensor_byte_size(const loom_tensor_t *tensor);
/* The elements, 64-byte aligned, valid as long as the tensor lives. */
const void *loom_tensor_data(const loom_tensor_t *tensor);

/*===--- Executables ------------------------------------------------------===*/

/* A compiled model: code plus its parameter and entry-point tables. Made by
 * the compiler (JIT) or a loader (AOT); C++ code wraps a
 * loom::rt::Executable with loom::rt::wrapExecutable (loom/rt/CInterop.h). */
typedef struct loom_executable_t loom_executable_t;

/* Loads a .loom artifact written by `loomc build` (no compiler needed):
 * checks the file (every malformed, truncated, foreign or newer-format file
 * is an error naming it), checks that this CPU has the ISA features the code
 * was compiled for (the missing ones are named), and loads its code. The
 * new handle holds one reference. _from_memory copies nothing it needs
 * after returning: `data` may be freed then. */
loom_status_t loom_executable_load(const char *path,
                                   loom_executable_t **out_executable);
loom_status_t loom_executable_load_from_memory(const void *data, size_t size,
                                               loom_executable_t **out_executable);

void loom_executable_retain(loom_executable_t *executable);
void loom_executable_release(loom_executable_t *executable);
/* Valid as long as the executable lives. */
const char *loom_executable_model_name(const loom_executable_t *executable);

/* A named, typed value of an entry point or the parameter table. The
 * pointers stay valid as long as the executable lives. */
typedef struct loom_value_info_t {
  const char *name;
  loom_dtype_t dtype;
  size_t rank;
  const int64_t *shape;
} loom_value_info_t;

/* The entry points ("forward", "eval", "train_step"): their number, and
 * the name of the index-th (NULL when out of range). */
size_t loom_executable_entry_count(const loom_executable_t *executable);
const char *loom_executable_entry_name(const loom_executable_t *executable,
                                       size_t index);
/* The inputs (including labels) and outputs of an entry, in call order:
 * their counts, and the index-th. Errors: a NULL argument, an unknown
 * entry, an index out of range. */
loom_status_t loom_executable_input_count(const loom_executable_t *executable,
                                          const char *entry, size_t *out_count);
loom_status_t loom_executable_input_info(const loom_executable_t *executable,
                                         const char *entry, size_t index,
                                         loom_value_info_t *out_info);
loom_status_t loom_executable_output_count(const loom_executable_t *executable,
                                           const char *entry, size_t *out_count);
loom_status_t loom_executable_output_info(const loom_executable_t *executable,
                                          const char *entry, size_t index,
                                          loom_value_info_t *out_info);
/* The parameter table. */
size_t loom_executable_param_count(const loom_executable_t *executable);
loom_status_t loom_executable_param_info(const loom_executable_t *executable,
                                         size_t index,
                                         loom_value_info_t *out_info);

/*===--- Sessions ---------------------------------------------------------===*/

typedef struct loom_session_options_t {
  /* Seeds parameter initialization; equal seeds give equal parameters. */
  uint64_t seed;
} loom_session_options_t;

/* Sets every option to its default (seed 0). */
void loom_session_options_initialize(loom_session_options_t *options);

/* An executable with parameter values, ready to run. */
typedef struct loom_session_t loom_session_t;

/* Initializes every parameter; retains `executable`. `options` may be NULL
 * for the defaults. */
loom_status_t loom_session_create(loom_executable_t *executable,
                                  const loom_session_options_t *options,
                                  loom_session_t **out_session);
void loom_session_retain(loom_session_t *session);
void loom_session_release(loom_session_t *session);

/* Runs `entry` on the named inputs (borrowed, not retained). Every input of
 * the entry must be given with exactly its declared type. On success,
 * `out_outputs[i]` receives a new tensor (owned by the caller) for the
 * output named `output_names[i]`; asking for an output the entry does not
 * have is an error. On failure no outputs are returned. */
loom_status_t
loom_session_run(loom_session_t *session, const char *entry, size_t input_count,
                 const char *const *input_names, loom_tensor_t *const *inputs,
                 size_t output_count, const char *const *output_names,
                 loom_tensor_t **out_outputs);

/* A copy of the named parameter's current value, owned by the caller. */
loom_status_t loom_session_get_param(loom_session_t *session, const char *name,
                                     loom_tensor_t **out_tensor);
/* Replaces a parameter with a copy of `value`, which must have exactly the
 * declared type. */
loom_status_t loom_session_set_param(loom_session_t *session, const char *name,
                                     const loom_tensor_t *value);

/* Loads a safetensors checkpoint (loomc train's, or weights exported from
 * PyTorch under the model's parameter names): every parameter must be
 * present with exactly its declared type (each mismatch is named); the
 * optimizer state ("optim.*") and the step are loaded too when the file
 * holds them for every state of the session. On failure the session is
 * unchanged. */
loom_status_t loom_session_load_checkpoint(loom_session_t *session,
                                           const char *path);
/* Writes the parameters, optimizer state and step as safetensors,
 * atomically (a temporary file, fsync, rename: a crash leaves the old file). */
loom_status_t loom_session_save_checkpoint(loom_session_t *session,
                                           const char *path);
/* One training step ("train_step" of an executable built with
 * `loomc build --train OPTIMIZER`): the inputs and labels by name, the
 * learning rate; returns the loss. Parameters and optimizer state are
 * updated in place; on a non-finite loss nothing is updated and the status
 * says so. */
loom_status_t loom_session_train_step(loom_session_t *session,
                                      size_t input_count,
                                      const char *const *input_names,
                                      loom_tensor_t *const *inputs, double lr,
                                      double *out_loss);
/* Training steps taken (restored by loom_session_load_checkpoint). */
int64_t loom_session_step(const loom_session_t *session);
/* The optimizer state the session keeps (Adam's "fc.weight.m" and ".v",
 * momentum buffers; none without training entries): how many, the name of
 * the index-th (NULL when out of range, valid while the session lives), and
 * a copy of one, owned by the caller. */
size_t loom_session_state_count(const loom_session_t *session);
const char *loom_session_state_name(const loom_session_t *session,
                                    size_t index);
loom_status_t loom_session_get_state(loom_session_t *session, const char *name,
                                     loom_tensor_t **out_tensor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LOOM_RUNTIME_H_ */

/* embed_c: a C program that classifies Fashion-MNIST's 10,000 test images
 * with a LeNet compiled ahead of time (`loomc build`) and its trained
 * checkpoint, through Loom's C API alone: no compiler, no C++ in sight.
 *
 *   embed_c MODEL.loom WEIGHTS.safetensors [IMAGES.gz LABELS.gz]
 *
 * It asks the artifact for its input and output (name, shape: the batch
 * size is part of it), reads the IDX files with zlib, scales pixels to
 * [0, 1] as loomc does, runs @forward batch by batch (the last, partial
 * batch padded with zeros whose predictions are ignored), and prints the
 * accuracy and the throughput. Exit status 1 with a message on any error. */
#include <loom/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define DEFAULT_DIR "/usr/share/datasets/fashion-mnist/"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int check(loom_status_t status, const char *what) {
  if (!status)
    return 0;
  fprintf(stderr, "embed_c: error: %s: %s\n", what, loom_status_message(status));
  loom_status_free(status);
  return 1;
}

/* Reads a gzipped (or plain) IDX file: magic, big-endian dimensions, u8
 * data. Returns the bytes (malloc'd) and the item count, or NULL. */
static unsigned char *read_idx(const char *path, unsigned magic, int dims,
                               long *count, long *item_size) {
  gzFile f = gzopen(path, "rb");
  if (!f) {
    fprintf(stderr, "embed_c: error: cannot open %s\n", path);
    return NULL;
  }
  unsigned char head[16];
  int want = 4 + 4 * dims;
  if (gzread(f, head, (unsigned)want) != want ||
      ((unsigned)head[0] << 24 | (unsigned)head[1] << 16 |
       (unsigned)head[2] << 8 | head[3]) != magic) {
    fprintf(stderr, "embed_c: error: %s is not an IDX file of magic 0x%08x\n",
            path, magic);
    gzclose(f);
    return NULL;
  }
  long n = 1, size = 1;
  for (int d = 0; d < dims; ++d) {
    long v = (long)head[4 + 4 * d] << 24 | (long)head[5 + 4 * d] << 16 |
             (long)head[6 + 4 * d] << 8 | head[7 + 4 * d];
    if (d == 0)
      n = v;
    else
      size *= v;
  }
  unsigned char *data = malloc((size_t)(n * size));
  if (!data || gzread(f, data, (unsigned)(n * size)) != (int)(n * size)) {
    fprintf(stderr, "embed_c: error: %s is truncated\n", path);
    free(data);
    gzclose(f);
    return NULL;
  }
  gzclose(f);
  *count = n;
  *item_size = size;
  return data;
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 5) {
    fprintf(stderr, "usage: embed_c MODEL.loom WEIGHTS.safetensors "
                    "[IMAGES.gz LABELS.gz]\n");
    return 2;
  }
  const char *images_path =
      argc == 5 ? argv[3] : DEFAULT_DIR "t10k-images-idx3-ubyte.gz";
  const char *labels_path =
      argc == 5 ? argv[4] : DEFAULT_DIR "t10k-labels-idx1-ubyte.gz";
  double t0 = now();
  loom_executable_t *exe = NULL;
  if (check(loom_executable_load(argv[1], &exe), "loading the model"))
    return 1;
  loom_session_t *session = NULL;
  if (check(loom_session_create(exe, NULL, &session), "creating a session") ||
      check(loom_session_load_checkpoint(session, argv[2]),
            "loading the weights"))
    return 1;
  double t1 = now();

  /* The model's one input and first output, as the artifact declares them. */
  size_t n_in = 0, n_out = 0;
  loom_value_info_t in, out;
  if (check(loom_executable_input_count(exe, "forward", &n_in), "inputs") ||
      check(loom_executable_output_count(exe, "forward", &n_out), "outputs"))
    return 1;
  if (n_in != 1 || n_out < 1) {
    fprintf(stderr, "embed_c: error: the model has %zu inputs and %zu outputs; "
                    "this program feeds one image input\n", n_in, n_out);
    return 1;
  }
  if (check(loom_executable_input_info(exe, "forward", 0, &in), "input") ||
      check(loom_executable_output_info(exe, "forward", 0, &out), "output"))
    return 1;
  int64_t pixels = 1;
  for (size_t d = 1; d < in.rank; ++d)
    pixels *= in.shape[d];
  if (in.dtype != LOOM_DTYPE_F32 || pixels != 784 || out.rank != 2) {
    fprintf(stderr, "embed_c: error: expected an f32 input of 784 pixels per "
                    "image and a [batch, classes] output\n");
    return 1;
  }
  int64_t batch = in.shape[0], classes = out.shape[1];

  long n = 0, size = 0, n_labels = 0, one = 0;
  unsigned char *images = read_idx(images_path, 0x803, 3, &n, &size);
  unsigned char *labels = read_idx(labels_path, 0x801, 1, &n_labels, &one);
  if (!images || !labels)
    return 1;
  if (n != n_labels || size != 784) {
    fprintf(stderr, "embed_c: error: %ld images of %ld pixels but %ld labels\n",
            n, size, n_labels);
    return 1;
  }

  float *x = malloc((size_t)(batch * 784) * sizeof(float));
  long correct = 0;
  double t2 = now();
  for (long start = 0; start < n; start += batch) {
    long rows = n - start < batch ? n - start : batch;
    for (long i = 0; i < batch * 784; ++i)
      x[i] = i < rows * 784 ? (float)images[start * 784 + i] / 255.0f : 0.0f;
    loom_tensor_t *input = NULL, *result = NULL;
    if (check(loom_tensor_create(LOOM_DTYPE_F32, in.shape, in.rank, x,
                                 (size_t)(batch * 784) * sizeof(float), &input),
              "making the input") ||
        check(loom_session_run(session, "forward", 1, &in.name, &input, 1,
                               &out.name, &result),
              "running the model"))
      return 1;
    const float *p = loom_tensor_data(result);
    for (long r = 0; r < rows; ++r) {
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c)
        if (p[r * classes + c] > p[r * classes + best])
          best = c;
      correct += best == labels[start + r];
    }
    loom_tensor_release(input);
    loom_tensor_release(result);
  }
  double t3 = now();
  printf("model '%s', batch %lld: accuracy %.4f (%ld of %ld)\n",
         loom_executable_model_name(exe), (long long)batch,
         (double)correct / (double)n, correct, n);
  printf("start-up %.1f ms (artifact and weights), %.0f images/s\n",
         (t1 - t0) * 1e3, (double)n / (t3 - t2));
  free(x);
  free(images);
  free(labels);
  loom_session_release(session);
  loom_executable_release(exe);
  return 0;
}

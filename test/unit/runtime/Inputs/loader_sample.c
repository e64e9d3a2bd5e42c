/* A small object for ObjectLoaderTest, compiled like Loom's AOT code (large
 * code model, no PIC): constants in .rodata, a counter in .bss, calls into
 * libm and libc resolved through the runtime's import table. */
#include <math.h>
#include <string.h>

static const float table[4] = {1.0f, 2.0f, 3.0f, 4.0f};
int loader_sample_counter;

float loader_sample_sum(const float *x, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i)
    s += x[i] * table[i % 4];
  return s;
}

float loader_sample_log(float x) { return logf(x); }

void loader_sample_copy(void *d, const void *s, unsigned long n) {
  memcpy(d, s, n);
}

int loader_sample_bump(void) { return ++loader_sample_counter; }

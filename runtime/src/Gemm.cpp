// Placeholder: replaced by the gemm branch.
#include "loom/rt/Gemm.h"
extern "C" void loom_rt_gemm_f32(const float *A, const float *B, float *C,
    int64_t M, int64_t N, int64_t K,
    int64_t sAm, int64_t sAk, int64_t sBk, int64_t sBn, int64_t sCm, int64_t sCn,
    int64_t batch0, int64_t sAb0, int64_t sBb0, int64_t sCb0,
    int64_t batch1, int64_t sAb1, int64_t sBb1, int64_t sCb1) {
  for (int64_t b0 = 0; b0 < batch0; ++b0)
    for (int64_t b1 = 0; b1 < batch1; ++b1) {
      const float *a = A + b0 * sAb0 + b1 * sAb1;
      const float *b = B + b0 * sBb0 + b1 * sBb1;
      float *c = C + b0 * sCb0 + b1 * sCb1;
      for (int64_t m = 0; m < M; ++m)
        for (int64_t k = 0; k < K; ++k) {
          float av = a[m * sAm + k * sAk];
          for (int64_t n = 0; n < N; ++n)
            c[m * sCm + n * sCn] += av * b[k * sBk + n * sBn];
        }
    }
}

// Placeholder: replaced by the gemm branch.
#pragma once
#include <cstdint>
extern "C" void loom_rt_gemm_f32(const float *A, const float *B, float *C,
    int64_t M, int64_t N, int64_t K,
    int64_t sAm, int64_t sAk, int64_t sBk, int64_t sBn, int64_t sCm, int64_t sCn,
    int64_t batch0, int64_t sAb0, int64_t sBb0, int64_t sCb0,
    int64_t batch1, int64_t sAb1, int64_t sBb1, int64_t sCb1);

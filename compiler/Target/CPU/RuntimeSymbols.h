//===- RuntimeSymbols.h - Runtime functions that generated code calls -----===//
//
// Generated code calls a few loomrt functions by name: the index check of
// gather/scatter_add/one_hot and the GEMM that matrix products and
// convolutions become (-loom-gemm-to-call), plain or with an epilogue
// (bias, scale, relu), the direct convolution (-loom-conv-to-call) and the
// parallel loop of large kernels (-loom-parallel-kernels). The JIT defines them from this
// one list, both when it compiles and when it loads a cached object, so a
// host executable need not export them dynamically.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/cpu/Conv.h"
#include "loom/rt/cpu/Gemm.h"
#include "loom/rt/cpu/Parallel.h"
#include "loom/rt/core/RunErrors.h"

#include <utility>

namespace loom {

inline const std::pair<const char *, void *> kRuntimeSymbols[] = {
    {"loom_rt_report_index_error",
     reinterpret_cast<void *>(&loom_rt_report_index_error)},
    {"loom_rt_gemm_f32", reinterpret_cast<void *>(&loom_rt_gemm_f32)},
    {"loom_rt_gemm_f32_ep", reinterpret_cast<void *>(&loom_rt_gemm_f32_ep)},
    {"loom_rt_conv2d_f32", reinterpret_cast<void *>(&loom_rt_conv2d_f32)},
    {"loom_rt_conv2d_filter_grad_f32",
     reinterpret_cast<void *>(&loom_rt_conv2d_filter_grad_f32)},
    {"loom_rt_parallel_for", reinterpret_cast<void *>(&loom_rt_parallel_for)},
};

} // namespace loom

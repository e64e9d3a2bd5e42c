//===- Conv.h - Direct convolution called by generated code ---------------===//
//
// A stride-1 convolution can skip im2col: the column matrix's row for tap
// (c, kh, kw) and output row oh is a run of input pixels, already in
// memory. loom_rt_conv2d_f32 hands those runs straight to the GEMM's
// micro-kernel (B read in place through a table of K row offsets), so the
// column matrix (C*KH*KW x OH*OW floats per image: 18.9 MB for a 16-channel
// 3x3 convolution of 32 32x32 images) is never written or read.
//
// The compiler picks, per convolution shape, whichever of this and
// im2col + loom_rt_gemm_f32 measures faster on the machine
// (compiler/Conversion/LoomToLinalg/ConvAlgorithm.cpp); loom_rt_conv_time
// below is that measurement. Both sum each output element in the same
// order (k blocks of loom_rt_gemm_f32's size, in increasing k), so the
// choice does not change a convolution's result.
//
// Threads: the (image, output row) pairs are shared out over the GEMM's
// thread pool; results are the same for any thread count.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>

extern "C" {

/// Y[n, f, oh, ow] += sum over (c, kh, kw) of
///   W[f, c, kh, kw] * X[n, c, oh + kh * dH, ow + kw * dW]
/// (accumulate != 0), or Y = that sum (accumulate == 0: Y's old values are
/// never read, and the result is bit for bit that of accumulating into
/// zeros; a separate zero fill of Y would write and read 2 MB per ResNet
/// convolution for nothing)
/// for n < N, f < F, oh < OH, ow < OW: a stride-1 convolution of an input
/// already padded (X must hold rows up to OH - 1 + (KH - 1) * dH and
/// columns up to OW - 1 + (KW - 1) * dW). Strides in elements; X's and Y's
/// last dimensions are contiguous (stride 1); W's strides are free. Y must
/// not overlap X or W.
void loom_rt_conv2d_f32(const float *X, const float *W, float *Y, int64_t N,
                        int64_t C, int64_t F, int64_t KH, int64_t KW,
                        int64_t OH, int64_t OW, int64_t dH, int64_t dW,
                        int64_t sXn, int64_t sXc, int64_t sXh, int64_t sWf,
                        int64_t sWc, int64_t sWh, int64_t sWw, int64_t sYn,
                        int64_t sYf, int64_t sYh, int64_t accumulate);

/// The filter (weight) gradient of a convolution, any stride:
///   DW[f, c, kh, kw] += sum over (n, oh, ow) of
///     G[n, f, oh, ow] * X[n, c, oh * sH + kh * dH, ow * sW + kw * dW]
/// for an input X padded already. A GEMM with M = F, N = C*KH*KW taps and
/// K = N*OH*OW pixels whose B (pixels x taps) is packed straight from X
/// instead of an im2col copy. Sums in loom_rt_gemm_f32's order over the
/// pixels (n, oh, ow), so it equals im2col + GEMM bit for bit. Strides in
/// elements, any layout; DW must not overlap X or G.
void loom_rt_conv2d_filter_grad_f32(
    const float *X, const float *G, float *DW, int64_t N, int64_t C, int64_t F,
    int64_t KH, int64_t KW, int64_t OH, int64_t OW, int64_t sH, int64_t sW,
    int64_t dH, int64_t dW, int64_t sXn, int64_t sXc, int64_t sXh, int64_t sXw,
    int64_t sGn, int64_t sGf, int64_t sGh, int64_t sGw, int64_t sDf,
    int64_t sDc, int64_t sDh, int64_t sDw);
}

namespace loom::rt {

/// The shape of a stride-1, ungrouped convolution (input padded already).
struct ConvShape {
  int64_t N, C, F, KH, KW, OH, OW, dH, dW;
};

/// Seconds per call, median of a few after a warm-up, on the current
/// thread count and kernels, of the convolution `s` on scratch data:
/// direct (loom_rt_conv2d_f32) or im2col (a column matrix built as the
/// generated gather kernel builds it, then loom_rt_gemm_f32).
double timeConv(const ConvShape &s, bool direct);

/// The same for the filter gradient of the stride-`stride` convolution
/// `s` (its OH x OW the gradient's extent): loom_rt_conv2d_filter_grad_f32
/// (direct), or the way it is lowered otherwise: X and G transposed to
/// [C, N, ..] and [F, N, ..], im2col with the pixels as taps, then the GEMM
/// per input channel.
double timeFilterGrad(const ConvShape &s, int64_t sH, int64_t sW, bool direct);

} // namespace loom::rt

//===- DecomposeRecurrent.cpp - lstm/gru and their gradients as loops -----===//
//
// A recurrent op becomes three parts:
//
//   1. the input projection of every step at once, one matmul
//      x [B*T, I] weight_ih^T (+ biases) -> [B, T, G*H], outside the loop;
//   2. an scf.for over time carrying the state(s) and the sequence being
//      written as tensor iter_args. The body reads step t with a
//      rank-reducing tensor.extract_slice at the loop index, computes the
//      step with primitive loom ops on static [B, H] / [B, G*H] tensors
//      (the recurrent matmul with transpose_rhs, add, sigmoid, tanh, mul,
//      slices of the gates) and writes its results with
//      tensor.insert_slice;
//   3. for the backward ops, the weight, bias and input gradients as big
//      matmuls and reductions over the per-step gate gradients the loop
//      collected: dW = dA^T [B*T, G*H] X [B*T, I], and so on.
//
// The loop is not unrolled: the IR is the same size for any T. The
// backward loop runs t = T-1 .. 0 (index T-1-k) and recomputes each
// step's gates from h_{t-1} (ys shifted by one, h0 first), so the forward
// pass stores nothing but its results. -convert-loom-to-linalg converts
// the loom ops inside the loop like any others; bufferization turns the
// iter_args into buffers updated in place.
//
//===----------------------------------------------------------------------===//
#include "Transforms/DecomposeRecurrent.h"

#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

using namespace mlir;
using namespace loom;

namespace {

/// Emits loom ops (and the loop's tensor slicing) at one location.
struct Emitter {
  OpBuilder &b;
  Location loc;

  static RankedTensorType type(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  Value add(Value x, Value y) { return AddOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return SubOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return MulOp::create(b, loc, x, y); }
  Value mul(Value x, Value y, Value z) { return mul(mul(x, y), z); }
  Value sigmoid(Value x) { return SigmoidOp::create(b, loc, x); }
  Value tanh(Value x) { return TanhOp::create(b, loc, x); }
  Value matmul(Value x, Value y, bool transposeLhs, bool transposeRhs) {
    return MatmulOp::create(b, loc, x, y, transposeLhs, transposeRhs);
  }
  Value reshape(Value x, ArrayRef<int64_t> shape) {
    return ReshapeOp::create(b, loc, x, b.getDenseI64ArrayAttr(shape));
  }
  Value concat(ValueRange xs, int64_t axis) {
    return ConcatOp::create(b, loc, xs, axis);
  }
  Value sumRows(Value x) {
    return ReduceSumOp::create(b, loc, x, b.getDenseI64ArrayAttr({0}), false);
  }
  /// Columns [gate*h, (gate+1)*h) of a [B, G*H] tensor: one gate.
  Value gate(Value x, int64_t gate, int64_t h) {
    int64_t rows = type(x).getDimSize(0);
    return SliceOp::create(b, loc, x, b.getDenseI64ArrayAttr({0, gate * h}),
                           b.getDenseI64ArrayAttr({rows, (gate + 1) * h}),
                           b.getDenseI64ArrayAttr({1, 1}));
  }
  /// 1 - x, for the derivatives of sigmoid and tanh.
  Value oneMinus(Value x, Value one) { return sub(one, x); }

  /// x [B, T, I] weight^T + bias: [B, T, G*H], every step at once.
  Value project(Value x, Value weight, Value bias) {
    auto xs = type(x).getShape();
    int64_t rows = type(weight).getDimSize(0);
    Value flat = reshape(x, {xs[0] * xs[1], xs[2]});
    Value y = add(matmul(flat, weight, false, true), bias);
    return reshape(y, {xs[0], xs[1], rows});
  }

  /// h_{t-1} for every t: [h0, ys[:, 0 .. T-2]] along time, [B, T, H].
  Value shiftedStates(Value initial, Value seq) {
    auto s = type(seq).getShape();
    Value first = reshape(initial, {s[0], 1, s[2]});
    if (s[1] == 1)
      return first;
    Value rest = SliceOp::create(b, loc, seq, b.getDenseI64ArrayAttr({0, 0, 0}),
                                 b.getDenseI64ArrayAttr({s[0], s[1] - 1, s[2]}),
                                 b.getDenseI64ArrayAttr({1, 1, 1}));
    return concat({first, rest}, 1);
  }

  /// seq[:, t, :] of a [B, T, N] tensor as [B, N], t a loop index.
  Value step(Value seq, Value t) {
    auto s = type(seq).getShape();
    auto rowType =
        RankedTensorType::get({s[0], s[2]}, type(seq).getElementType());
    return tensor::ExtractSliceOp::create(
        b, loc, rowType, seq, offsets(t), sizes(s), unitStrides());
  }
  /// seq with seq[:, t, :] = v.
  Value store(Value v, Value seq, Value t) {
    return tensor::InsertSliceOp::create(b, loc, v, seq, offsets(t),
                                         sizes(type(seq).getShape()),
                                         unitStrides());
  }
  Value empty(ArrayRef<int64_t> shape) {
    return tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  }
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

private:
  SmallVector<OpFoldResult> offsets(Value t) {
    return {b.getIndexAttr(0), t, b.getIndexAttr(0)};
  }
  SmallVector<OpFoldResult> sizes(ArrayRef<int64_t> s) {
    return {b.getIndexAttr(s[0]), b.getIndexAttr(1), b.getIndexAttr(s[2])};
  }
  SmallVector<OpFoldResult> unitStrides() {
    return {b.getIndexAttr(1), b.getIndexAttr(1), b.getIndexAttr(1)};
  }
};

/// for k = 0 .. T-1 with `inits` as iter_args; `body(e, t, args)` returns
/// the yielded values. `reversed` runs t = T-1-k.
template <typename Body>
scf::ForOp timeLoop(Emitter &e, int64_t steps, ValueRange inits,
                    bool reversed, Body body) {
  Value lb = e.index(0), ub = e.index(steps), one = e.index(1);
  Value last = reversed ? e.index(steps - 1) : Value();
  return scf::ForOp::create(
      e.b, e.loc, lb, ub, one, inits,
      [&](OpBuilder &nb, Location l, Value k, ValueRange args) {
        Emitter inner{nb, l};
        Value t = reversed ? arith::SubIOp::create(nb, l, last, k).getResult()
                           : k;
        SmallVector<Value> yields = body(inner, t, args);
        scf::YieldOp::create(nb, l, yields);
      });
}

struct DecomposeLstm : OpRewritePattern<LstmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LstmOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    auto seq = Emitter::type(op.getYs()).getShape();
    int64_t h = seq[2];
    Value whh = op.getWeightHh();
    Value xw = e.project(op.getX(), op.getWeightIh(),
                         e.add(op.getBiasIh(), op.getBiasHh()));
    Value inits[] = {op.getH0(), op.getC0(), e.empty(seq), e.empty(seq)};
    auto loop = timeLoop(
        e, seq[1], inits, /*reversed=*/false,
        [&](Emitter &s, Value t, ValueRange a) -> SmallVector<Value> {
          Value pre = s.add(s.step(xw, t), s.matmul(a[0], whh, false, true));
          Value i = s.sigmoid(s.gate(pre, 0, h));
          Value f = s.sigmoid(s.gate(pre, 1, h));
          Value g = s.tanh(s.gate(pre, 2, h));
          Value o = s.sigmoid(s.gate(pre, 3, h));
          Value c = s.add(s.mul(f, a[1]), s.mul(i, g));
          Value hNew = s.mul(o, s.tanh(c));
          return {hNew, c, s.store(hNew, a[2], t), s.store(c, a[3], t)};
        });
    rewriter.replaceOp(op, {loop.getResult(2), loop.getResult(3)});
    return success();
  }
};

struct DecomposeLstmGrad : OpRewritePattern<LstmGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LstmGradOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    auto seq = Emitter::type(op.getYs()).getShape();
    int64_t b = seq[0], steps = seq[1], h = seq[2];
    auto state = Emitter::type(op.getH0());
    Value wih = op.getWeightIh(), whh = op.getWeightHh();
    Value xw = e.project(op.getX(), wih, e.add(op.getBiasIh(), op.getBiasHh()));
    Value hPrev = e.shiftedStates(op.getH0(), op.getYs());
    Value cPrev = e.shiftedStates(op.getC0(), op.getCs());
    Value one = grad::scalarLike(rewriter, op.getLoc(), op.getX(), 1.0);
    Value zero = grad::zerosOf(rewriter, op.getLoc(), state);
    Value inits[] = {zero, zero, e.empty({b, steps, 4 * h})};
    auto loop = timeLoop(
        e, steps, inits, /*reversed=*/true,
        [&](Emitter &s, Value t, ValueRange a) -> SmallVector<Value> {
          Value hp = s.step(hPrev, t), cp = s.step(cPrev, t);
          Value pre = s.add(s.step(xw, t), s.matmul(hp, whh, false, true));
          Value i = s.sigmoid(s.gate(pre, 0, h));
          Value f = s.sigmoid(s.gate(pre, 1, h));
          Value g = s.tanh(s.gate(pre, 2, h));
          Value o = s.sigmoid(s.gate(pre, 3, h));
          Value tc = s.tanh(s.step(op.getCs(), t));
          Value dh = s.add(s.step(op.getDys(), t), a[0]);
          Value dc = s.add(s.add(s.step(op.getDcs(), t), a[1]),
                           s.mul(dh, o, s.oneMinus(s.mul(tc, tc), one)));
          Value da = s.concat(
              {s.mul(s.mul(dc, g), i, s.oneMinus(i, one)),
               s.mul(s.mul(dc, cp), f, s.oneMinus(f, one)),
               s.mul(dc, i, s.oneMinus(s.mul(g, g), one)),
               s.mul(s.mul(dh, tc), o, s.oneMinus(o, one))},
              1);
          return {s.matmul(da, whh, false, false), s.mul(dc, f),
                  s.store(da, a[2], t)};
        });
    auto xs = Emitter::type(op.getX()).getShape();
    Value dA = e.reshape(loop.getResult(2), {b * steps, 4 * h});
    Value dx = e.reshape(e.matmul(dA, wih, false, false), xs);
    Value dwih =
        e.matmul(dA, e.reshape(op.getX(), {b * steps, xs[2]}), true, false);
    Value dwhh = e.matmul(dA, e.reshape(hPrev, {b * steps, h}), true, false);
    Value db = e.sumRows(dA);
    rewriter.replaceOp(op, {dx, loop.getResult(0), loop.getResult(1), dwih,
                            dwhh, db, db});
    return success();
  }
};

struct DecomposeGru : OpRewritePattern<GruOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GruOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    auto seq = Emitter::type(op.getYs()).getShape();
    int64_t h = seq[2];
    Value whh = op.getWeightHh(), bhh = op.getBiasHh();
    Value xw = e.project(op.getX(), op.getWeightIh(), op.getBiasIh());
    Value one = grad::scalarLike(rewriter, op.getLoc(), op.getX(), 1.0);
    Value inits[] = {op.getH0(), e.empty(seq)};
    auto loop = timeLoop(
        e, seq[1], inits, /*reversed=*/false,
        [&](Emitter &s, Value t, ValueRange a) -> SmallVector<Value> {
          Value xa = s.step(xw, t);
          Value hb = s.add(s.matmul(a[0], whh, false, true), bhh);
          Value r = s.sigmoid(s.add(s.gate(xa, 0, h), s.gate(hb, 0, h)));
          Value z = s.sigmoid(s.add(s.gate(xa, 1, h), s.gate(hb, 1, h)));
          Value n = s.tanh(s.add(s.gate(xa, 2, h), s.mul(r, s.gate(hb, 2, h))));
          Value hNew = s.add(s.mul(s.oneMinus(z, one), n), s.mul(z, a[0]));
          return {hNew, s.store(hNew, a[1], t)};
        });
    rewriter.replaceOp(op, loop.getResult(1));
    return success();
  }
};

struct DecomposeGruGrad : OpRewritePattern<GruGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GruGradOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    auto seq = Emitter::type(op.getYs()).getShape();
    int64_t b = seq[0], steps = seq[1], h = seq[2];
    Value wih = op.getWeightIh(), whh = op.getWeightHh(), bhh = op.getBiasHh();
    Value xw = e.project(op.getX(), wih, op.getBiasIh());
    Value hPrev = e.shiftedStates(op.getH0(), op.getYs());
    Value one = grad::scalarLike(rewriter, op.getLoc(), op.getX(), 1.0);
    Value zero = grad::zerosOf(rewriter, op.getLoc(),
                               Emitter::type(op.getH0()));
    Value inits[] = {zero, e.empty({b, steps, 3 * h}),
                     e.empty({b, steps, 3 * h})};
    auto loop = timeLoop(
        e, steps, inits, /*reversed=*/true,
        [&](Emitter &s, Value t, ValueRange a) -> SmallVector<Value> {
          Value hp = s.step(hPrev, t), xa = s.step(xw, t);
          Value hb = s.add(s.matmul(hp, whh, false, true), bhh);
          Value r = s.sigmoid(s.add(s.gate(xa, 0, h), s.gate(hb, 0, h)));
          Value z = s.sigmoid(s.add(s.gate(xa, 1, h), s.gate(hb, 1, h)));
          Value bn = s.gate(hb, 2, h);
          Value n = s.tanh(s.add(s.gate(xa, 2, h), s.mul(r, bn)));
          Value dh = s.add(s.step(op.getDys(), t), a[0]);
          Value dn = s.mul(dh, s.oneMinus(z, one),
                           s.oneMinus(s.mul(n, n), one));
          Value dz = s.mul(s.mul(dh, s.sub(hp, n)), z, s.oneMinus(z, one));
          Value dr = s.mul(s.mul(dn, bn), r, s.oneMinus(r, one));
          Value dxa = s.concat({dr, dz, dn}, 1);
          Value dhb = s.concat({dr, dz, s.mul(dn, r)}, 1);
          Value dhPrev = s.add(s.mul(dh, z), s.matmul(dhb, whh, false, false));
          return {dhPrev, s.store(dxa, a[1], t), s.store(dhb, a[2], t)};
        });
    auto xs = Emitter::type(op.getX()).getShape();
    Value dA = e.reshape(loop.getResult(1), {b * steps, 3 * h});
    Value dB = e.reshape(loop.getResult(2), {b * steps, 3 * h});
    Value dx = e.reshape(e.matmul(dA, wih, false, false), xs);
    Value dwih =
        e.matmul(dA, e.reshape(op.getX(), {b * steps, xs[2]}), true, false);
    Value dwhh = e.matmul(dB, e.reshape(hPrev, {b * steps, h}), true, false);
    rewriter.replaceOp(op, {dx, loop.getResult(0), dwih, dwhh, e.sumRows(dA),
                            e.sumRows(dB)});
    return success();
  }
};

} // namespace

void loom::populateDecomposeRecurrentPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeLstm, DecomposeLstmGrad, DecomposeGru,
               DecomposeGruGrad>(patterns.getContext());
}

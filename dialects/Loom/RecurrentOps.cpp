//===- RecurrentOps.cpp - lstm, gru, their backward ops: types, reference -===//
//
// The shared shape rule (Recurrent.h) and the reference evaluation of the
// four recurrent ops. The reference is the textbook recurrence in double,
// one batch row and one time step at a time, and the backward ops walk time
// backwards recomputing each step's gates from h_{t-1}, exactly the
// algorithm the decomposition (DecomposeRecurrent.cpp) emits, but in plain
// loops, so the JIT's loop and the finite-difference checks both have an
// independent oracle.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"
#include "Loom/Recurrent.h"

#include <cmath>

using namespace mlir;
using namespace loom;

//===----------------------------------------------------------------------===//
// Shape rules
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> shapeOf(Type t) {
  return cast<RankedTensorType>(t).getShape();
}

LogicalResult loom::inferRecurrent(OptLoc loc, StringRef opName, int64_t gates,
                                   TypeRange operands,
                                   SmallVectorImpl<Type> &types) {
  std::string op = ("'loom." + opName + "'").str();
  bool lstm = gates == 4;
  auto x = shapeOf(operands[0]), h0 = shapeOf(operands[1]);
  if (x.size() != 3 || x[1] < 1)
    return emitOptionalError(loc, op,
                             " expects x [batch, time, input] of rank 3 with "
                             "at least one time step, got ",
                             shapeString(x));
  if (h0.size() != 2 || h0[0] != x[0])
    return emitOptionalError(loc, op, " h0 has shape ", shapeString(h0),
                             " but x ", shapeString(x), " needs [", x[0],
                             ", hidden]");
  int64_t b = x[0], t = x[1], in = x[2], h = h0[1];
  size_t next = 2;
  if (lstm) {
    auto c0 = shapeOf(operands[next++]);
    if (c0 != h0)
      return emitOptionalError(loc, op, " c0 has shape ", shapeString(c0),
                               " but h0 has shape ", shapeString(h0),
                               ": they must match");
  }
  const char *gateNames = lstm ? "i, f, g, o" : "r, z, n";
  struct Expected {
    const char *name;
    SmallVector<int64_t, 2> shape;
  };
  Expected expected[] = {{"weight_ih", {gates * h, in}},
                         {"weight_hh", {gates * h, h}},
                         {"bias_ih", {gates * h}},
                         {"bias_hh", {gates * h}}};
  for (const Expected &e : expected) {
    auto got = shapeOf(operands[next++]);
    if (got != ArrayRef<int64_t>(e.shape))
      return emitOptionalError(
          loc, op, " ", e.name, " has shape ", shapeString(got), " but x ",
          shapeString(x), " and h0 ", shapeString(h0), " need ",
          shapeString(e.shape), " (", gates, " gates ", gateNames,
          " of hidden size ", h, ")");
  }
  Type f32 = cast<RankedTensorType>(operands[0]).getElementType();
  auto seq = RankedTensorType::get({b, t, h}, f32);
  types.push_back(seq);
  if (lstm)
    types.push_back(seq);
  return success();
}

LogicalResult loom::inferRecurrentGrad(OptLoc loc, StringRef opName,
                                       int64_t gates, TypeRange operands,
                                       SmallVectorImpl<Type> &types) {
  size_t numForward = gates == 4 ? 7 : 6;
  StringRef forwardName = opName.drop_back(5); // "lstm_grad" -> "lstm"
  SmallVector<Type> forwardResults;
  if (failed(inferRecurrent(loc, opName, gates,
                            operands.take_front(numForward), forwardResults)))
    return failure();
  auto seq = shapeOf(forwardResults[0]);
  SmallVector<StringRef> names = {"ys", "dys"};
  if (gates == 4)
    names = {"ys", "cs", "dys", "dcs"};
  for (auto [i, name] : llvm::enumerate(names)) {
    auto got = shapeOf(operands[numForward + i]);
    if (got != seq)
      return emitOptionalError(loc, "'loom.", opName, "' ", name,
                               " has shape ", shapeString(got), " but the ",
                               forwardName, " it differentiates produces ",
                               shapeString(seq));
  }
  for (Type t : operands.take_front(numForward))
    types.push_back(t);
  return success();
}

LogicalResult LstmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc, Adaptor a,
                                       SmallVectorImpl<Type> &types) {
  return inferRecurrent(loc, "lstm", 4, a.getOperands().getTypes(), types);
}

LogicalResult GruOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc, Adaptor a,
                                      SmallVectorImpl<Type> &types) {
  return inferRecurrent(loc, "gru", 3, a.getOperands().getTypes(), types);
}

LogicalResult LstmGradOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor a,
                                           SmallVectorImpl<Type> &types) {
  return inferRecurrentGrad(loc, "lstm_grad", 4, a.getOperands().getTypes(),
                            types);
}

LogicalResult GruGradOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a,
                                          SmallVectorImpl<Type> &types) {
  return inferRecurrentGrad(loc, "gru_grad", 3, a.getOperands().getTypes(),
                            types);
}

//===----------------------------------------------------------------------===//
// Reference evaluation
//===----------------------------------------------------------------------===//

namespace {

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

/// Sizes and row-major accessors of one recurrent op's operands.
struct Seq {
  int64_t b, t, in, h;
  explicit Seq(const RefTensor &x, const RefTensor &h0)
      : b(x.shape[0]), t(x.shape[1]), in(x.shape[2]), h(h0.shape[1]) {}
  /// Offset of [row, step, 0] in a [B, T, n] tensor.
  int64_t at(int64_t row, int64_t step, int64_t n) const {
    return (row * t + step) * n;
  }
};

/// out[r] = bias[r] + sum_k w[r, k] v[k] for a [rows, n] weight.
std::vector<double> affine(const RefTensor &w, const RefTensor &bias,
                           const double *v) {
  int64_t rows = w.shape[0], n = w.shape[1];
  std::vector<double> out(size_t(rows), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    double s = bias.data[r];
    for (int64_t k = 0; k < n; ++k)
      s += w.data[r * n + k] * v[k];
    out[r] = s;
  }
  return out;
}

/// The gradient side of affine(): dw += da v^T, dbias += da, and
/// dv[k] += sum_r da[r] w[r, k].
void affineGrad(const RefTensor &w, const std::vector<double> &da,
                const double *v, RefTensor &dw, RefTensor &dbias, double *dv) {
  int64_t rows = w.shape[0], n = w.shape[1];
  for (int64_t r = 0; r < rows; ++r) {
    dbias.data[r] += da[r];
    for (int64_t k = 0; k < n; ++k) {
      dw.data[r * n + k] += da[r] * v[k];
      dv[k] += da[r] * w.data[r * n + k];
    }
  }
}

/// The LSTM gates of one step: i, f, g, o, each of size h, activated.
std::vector<double> lstmGates(const RefTensor &wih, const RefTensor &whh,
                              const RefTensor &bih, const RefTensor &bhh,
                              const double *x, const double *hPrev,
                              int64_t h) {
  std::vector<double> a = affine(wih, bih, x), r = affine(whh, bhh, hPrev);
  for (int64_t k = 0; k < 4 * h; ++k) {
    a[k] += r[k];
    a[k] = k / h == 2 ? std::tanh(a[k]) : sigmoid(a[k]);
  }
  return a;
}

/// The GRU gates of one step: r, z, n (activated) and b_n =
/// (h_{t-1} weight_hh^T + bias_hh)_n.
struct GruGates {
  std::vector<double> r, z, n, bn;
};
GruGates gruGates(const RefTensor &wih, const RefTensor &whh,
                  const RefTensor &bih, const RefTensor &bhh, const double *x,
                  const double *hPrev, int64_t h) {
  std::vector<double> a = affine(wih, bih, x), b = affine(whh, bhh, hPrev);
  GruGates g;
  for (int64_t k = 0; k < h; ++k) {
    g.r.push_back(sigmoid(a[k] + b[k]));
    g.z.push_back(sigmoid(a[h + k] + b[h + k]));
    g.bn.push_back(b[2 * h + k]);
    g.n.push_back(std::tanh(a[2 * h + k] + g.r[k] * b[2 * h + k]));
  }
  return g;
}

} // namespace

LogicalResult LstmOp::evaluateReference(ArrayRef<RefTensor> in,
                                        SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &h0 = in[1], &c0 = in[2], &wih = in[3],
                  &whh = in[4], &bih = in[5], &bhh = in[6];
  Seq s(x, h0);
  RefTensor ys({s.b, s.t, s.h}), cs({s.b, s.t, s.h});
  for (int64_t row = 0; row < s.b; ++row) {
    std::vector<double> h(h0.data.begin() + row * s.h,
                          h0.data.begin() + (row + 1) * s.h);
    std::vector<double> c(c0.data.begin() + row * s.h,
                          c0.data.begin() + (row + 1) * s.h);
    for (int64_t t = 0; t < s.t; ++t) {
      std::vector<double> g = lstmGates(wih, whh, bih, bhh,
                                        &x.data[s.at(row, t, s.in)], h.data(),
                                        s.h);
      for (int64_t k = 0; k < s.h; ++k) {
        c[k] = g[s.h + k] * c[k] + g[k] * g[2 * s.h + k];
        h[k] = g[3 * s.h + k] * std::tanh(c[k]);
        ys.data[s.at(row, t, s.h) + k] = h[k];
        cs.data[s.at(row, t, s.h) + k] = c[k];
      }
    }
  }
  out.push_back(std::move(ys));
  out.push_back(std::move(cs));
  return success();
}

LogicalResult GruOp::evaluateReference(ArrayRef<RefTensor> in,
                                       SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &h0 = in[1], &wih = in[2], &whh = in[3],
                  &bih = in[4], &bhh = in[5];
  Seq s(x, h0);
  RefTensor ys({s.b, s.t, s.h});
  for (int64_t row = 0; row < s.b; ++row) {
    std::vector<double> h(h0.data.begin() + row * s.h,
                          h0.data.begin() + (row + 1) * s.h);
    for (int64_t t = 0; t < s.t; ++t) {
      GruGates g = gruGates(wih, whh, bih, bhh, &x.data[s.at(row, t, s.in)],
                            h.data(), s.h);
      for (int64_t k = 0; k < s.h; ++k) {
        h[k] = (1 - g.z[k]) * g.n[k] + g.z[k] * h[k];
        ys.data[s.at(row, t, s.h) + k] = h[k];
      }
    }
  }
  out.push_back(std::move(ys));
  return success();
}

LogicalResult LstmGradOp::evaluateReference(ArrayRef<RefTensor> in,
                                            SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &h0 = in[1], &c0 = in[2], &wih = in[3],
                  &whh = in[4], &bih = in[5], &bhh = in[6], &ys = in[7],
                  &cs = in[8], &dys = in[9], &dcs = in[10];
  Seq s(x, h0);
  int64_t h = s.h;
  RefTensor dx(x.shape), dh0(h0.shape), dc0(c0.shape), dwih(wih.shape),
      dwhh(whh.shape), db(bih.shape), dbUnused(bhh.shape);
  for (int64_t row = 0; row < s.b; ++row) {
    std::vector<double> dhNext(size_t(h), 0.0), dcNext(size_t(h), 0.0);
    for (int64_t t = s.t - 1; t >= 0; --t) {
      const double *hPrev =
          t ? &ys.data[s.at(row, t - 1, h)] : &h0.data[row * h];
      const double *cPrev =
          t ? &cs.data[s.at(row, t - 1, h)] : &c0.data[row * h];
      const double *c = &cs.data[s.at(row, t, h)];
      const double *xt = &x.data[s.at(row, t, s.in)];
      std::vector<double> g = lstmGates(wih, whh, bih, bhh, xt, hPrev, h);
      std::vector<double> da(size_t(4 * h));
      for (int64_t k = 0; k < h; ++k) {
        double i = g[k], f = g[h + k], gg = g[2 * h + k], o = g[3 * h + k];
        double tc = std::tanh(c[k]);
        double dh = dys.data[s.at(row, t, h) + k] + dhNext[k];
        double dc = dcs.data[s.at(row, t, h) + k] + dcNext[k] +
                    dh * o * (1 - tc * tc);
        da[k] = dc * gg * i * (1 - i);
        da[h + k] = dc * cPrev[k] * f * (1 - f);
        da[2 * h + k] = dc * i * (1 - gg * gg);
        da[3 * h + k] = dh * tc * o * (1 - o);
        dcNext[k] = dc * f;
      }
      std::fill(dhNext.begin(), dhNext.end(), 0.0);
      affineGrad(wih, da, xt, dwih, db, &dx.data[s.at(row, t, s.in)]);
      affineGrad(whh, da, hPrev, dwhh, dbUnused, dhNext.data());
    }
    std::copy(dhNext.begin(), dhNext.end(), dh0.data.begin() + row * h);
    std::copy(dcNext.begin(), dcNext.end(), dc0.data.begin() + row * h);
  }
  RefTensor dbhh = db;
  out.append({std::move(dx), std::move(dh0), std::move(dc0), std::move(dwih),
              std::move(dwhh), std::move(db), std::move(dbhh)});
  return success();
}

LogicalResult GruGradOp::evaluateReference(ArrayRef<RefTensor> in,
                                           SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &h0 = in[1], &wih = in[2], &whh = in[3],
                  &bih = in[4], &bhh = in[5], &ys = in[6], &dys = in[7];
  Seq s(x, h0);
  int64_t h = s.h;
  RefTensor dx(x.shape), dh0(h0.shape), dwih(wih.shape), dwhh(whh.shape),
      dbih(bih.shape), dbhh(bhh.shape);
  for (int64_t row = 0; row < s.b; ++row) {
    std::vector<double> dhNext(size_t(h), 0.0);
    for (int64_t t = s.t - 1; t >= 0; --t) {
      const double *hPrev =
          t ? &ys.data[s.at(row, t - 1, h)] : &h0.data[row * h];
      const double *xt = &x.data[s.at(row, t, s.in)];
      GruGates g = gruGates(wih, whh, bih, bhh, xt, hPrev, h);
      std::vector<double> da(size_t(3 * h)), dbh(size_t(3 * h));
      std::vector<double> dhPrev(size_t(h), 0.0);
      for (int64_t k = 0; k < h; ++k) {
        double r = g.r[k], z = g.z[k], n = g.n[k];
        double dh = dys.data[s.at(row, t, h) + k] + dhNext[k];
        double dn = dh * (1 - z) * (1 - n * n);
        double dz = dh * (hPrev[k] - n) * z * (1 - z);
        double dr = dn * g.bn[k] * r * (1 - r);
        da[k] = dbh[k] = dr;
        da[h + k] = dbh[h + k] = dz;
        da[2 * h + k] = dn;
        dbh[2 * h + k] = dn * r;
        dhPrev[k] = dh * z;
      }
      affineGrad(wih, da, xt, dwih, dbih, &dx.data[s.at(row, t, s.in)]);
      affineGrad(whh, dbh, hPrev, dwhh, dbhh, dhPrev.data());
      dhNext = dhPrev;
    }
    std::copy(dhNext.begin(), dhNext.end(), dh0.data.begin() + row * h);
  }
  out.append({std::move(dx), std::move(dh0), std::move(dwih), std::move(dwhh),
              std::move(dbih), std::move(dbhh)});
  return success();
}

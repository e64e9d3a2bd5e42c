//===- ShapeOpsTest.cpp - Data movement ops vs reference ------------------===//
//
// reshape between shapes whose dims do not nest ([4,3] -> [2,6]) and to and
// from rank 0, transpose, broadcast_to, strided slice, pad (low, high and
// interior), stop_gradient (the identity) and concat along every position
// of axis. Results that are views of an argument (a reshape or strided
// slice of it) also test that the copy into the out-parameter handles
// non-contiguous sources.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

std::string shapeList(const Shape &s) {
  std::string list;
  for (size_t i = 0; i < s.size(); ++i)
    list += (i ? ", " : "") + std::to_string(s[i]);
  return "[" + list + "]";
}

/// One op with a shape-list attribute: reshape, broadcast_to, transpose.
std::string listOpFn(const std::string &op, const Shape &in, const Shape &attr,
                     const Shape &out) {
  std::string t = tensorType(in), o = tensorType(out);
  // exp first, so the op works on a computed tensor and not only on an
  // argument (the two bufferize differently).
  return "func.func @forward(%a: " + t + ") -> " + o +
         " {\n  %e = loom.exp %a : " + t + "\n  %0 = loom." + op + " %e " +
         shapeList(attr) + " : " + t + "\n  return %0 : " + o + "\n}\n";
}

struct ReshapeCase {
  const char *name;
  Shape in, out;
};
const ReshapeCase kReshapes[] = {
    {"NotNested", {4, 3}, {2, 6}},      {"Flatten", {4, 3}, {12}},
    {"Unflatten", {12}, {3, 2, 2}},     {"Rank3To2", {2, 3, 4}, {4, 6}},
    {"ToRank0", {1, 1}, {}},            {"FromRank0", {}, {1, 1}},
    {"AddUnitDims", {3, 4}, {1, 3, 1, 4}}, {"Same", {2, 3}, {2, 3}},
};

class ReshapeTest : public ::testing::TestWithParam<ReshapeCase> {};
TEST_P(ReshapeTest, AgainstReference) {
  const ReshapeCase &c = GetParam();
  checkAgainstReference(listOpFn("reshape", c.in, c.out, c.out));
}
INSTANTIATE_TEST_SUITE_P(Shapes, ReshapeTest, ::testing::ValuesIn(kReshapes),
                         [](const auto &i) { return i.param.name; });

TEST(ReshapeTest, OfArgumentReturned) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<4x3xf32>) -> tensor<2x6xf32> {
  %0 = loom.reshape %a [2, 6] : tensor<4x3xf32>
  return %0 : tensor<2x6xf32>
}
)mlir");
}

struct TransposeCase {
  const char *name;
  Shape in, perm, out;
};
const TransposeCase kTransposes[] = {
    {"Matrix", {4, 3}, {1, 0}, {3, 4}},
    {"Rotate", {2, 3, 4}, {2, 0, 1}, {4, 2, 3}},
    {"Reverse", {2, 3, 4}, {2, 1, 0}, {4, 3, 2}},
    {"Identity", {2, 3}, {0, 1}, {2, 3}},
    {"Rank0", {}, {}, {}},
};
class TransposeTest : public ::testing::TestWithParam<TransposeCase> {};
TEST_P(TransposeTest, AgainstReference) {
  const TransposeCase &c = GetParam();
  checkAgainstReference(listOpFn("transpose", c.in, c.perm, c.out));
}
INSTANTIATE_TEST_SUITE_P(Perms, TransposeTest,
                         ::testing::ValuesIn(kTransposes),
                         [](const auto &i) { return i.param.name; });

struct BroadcastToCase {
  const char *name;
  Shape in, out;
};
const BroadcastToCase kBroadcasts[] = {
    {"RowToMatrix", {3}, {4, 3}},       {"ColumnAndRank", {4, 1}, {2, 4, 3}},
    {"Rank0", {}, {2, 2}},              {"Same", {1, 3}, {1, 3}},
    {"MiddleUnit", {2, 1, 3}, {2, 5, 3}},
};
class BroadcastToTest : public ::testing::TestWithParam<BroadcastToCase> {};
TEST_P(BroadcastToTest, AgainstReference) {
  const BroadcastToCase &c = GetParam();
  checkAgainstReference(listOpFn("broadcast_to", c.in, c.out, c.out));
}
INSTANTIATE_TEST_SUITE_P(Shapes, BroadcastToTest,
                         ::testing::ValuesIn(kBroadcasts),
                         [](const auto &i) { return i.param.name; });

TEST(SliceTest, Strided) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<7x5xf32>) -> tensor<3x2xf32> {
  %e = loom.exp %a : tensor<7x5xf32>
  %0 = loom.slice %e start [1, 0] limit [7, 5] stride [2, 3] : tensor<7x5xf32>
  return %0 : tensor<3x2xf32>
}
)mlir");
}

TEST(SliceTest, StridedOfArgumentReturned) {
  // A non-contiguous view of an argument copied into the out-parameter.
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<4x6x5xf32>) -> tensor<2x2x5xf32> {
  %0 = loom.slice %a start [1, 1, 0] limit [4, 6, 5] stride [2, 3, 1] : tensor<4x6x5xf32>
  return %0 : tensor<2x2x5xf32>
}
)mlir");
}

TEST(SliceTest, FeedsElementwise) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<6x4xf32>) -> tensor<3x4xf32> {
  %0 = loom.slice %a start [0, 0] limit [6, 4] stride [2, 1] : tensor<6x4xf32>
  %1 = loom.slice %a start [1, 0] limit [6, 4] stride [2, 1] : tensor<6x4xf32>
  %2 = loom.sub %0, %1 : tensor<3x4xf32>, tensor<3x4xf32>
  return %2 : tensor<3x4xf32>
}
)mlir");
}

TEST(PadTest, LowHighInterior) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<2x3xf32>) -> tensor<3x7xf32> {
  %e = loom.exp %a : tensor<2x3xf32>
  %0 = loom.pad %e low [1, 0] high [0, 2] interior [0, 1] : tensor<2x3xf32>
  return %0 : tensor<3x7xf32>
}
)mlir");
}

TEST(PadTest, ArgumentAndBoolVector) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<2x1x3xf32>, %m: tensor<3xi1>) -> (tensor<4x2x5xf32>, tensor<7xi1>) {
  %0 = loom.pad %a low [0, 1, 2] high [1, 0, 0] interior [1, 0, 0] : tensor<2x1x3xf32>
  %1 = loom.pad %m low [1] high [3] interior [0] : tensor<3xi1>
  return %0, %1 : tensor<4x2x5xf32>, tensor<7xi1>
}
)mlir");
}

TEST(StopGradientTest, IsTheIdentity) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = loom.stop_gradient %a : tensor<2x3xf32>
  %1 = loom.tanh %0 : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}
)mlir");
}

TEST(ConcatTest, MiddleAxis) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<2x3x4xf32>, %b: tensor<2x1x4xf32>,
                   %c: tensor<2x2x4xf32>) -> tensor<2x6x4xf32> {
  %0 = loom.concat %a, %b, %c axis 1 : tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x2x4xf32>
  return %0 : tensor<2x6x4xf32>
}
)mlir");
}

TEST(ConcatTest, FirstAndLastAxisOfComputed) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>)
    -> (tensor<3x3xf32>, tensor<2x6xf32>) {
  %e = loom.exp %a : tensor<2x3xf32>
  %0 = loom.concat %e, %b axis 0 : tensor<2x3xf32>, tensor<1x3xf32>
  %1 = loom.concat %e, %a axis 1 : tensor<2x3xf32>, tensor<2x3xf32>
  return %0, %1 : tensor<3x3xf32>, tensor<2x6xf32>
}
)mlir");
}

TEST(ConcatTest, BoolVectors) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<3xi1>, %b: tensor<2xi1>) -> tensor<5xi1> {
  %0 = loom.concat %a, %b axis 0 : tensor<3xi1>, tensor<2xi1>
  return %0 : tensor<5xi1>
}
)mlir");
}

} // namespace

//===- loom.h - The Loom model DSL: the one header a model file includes ----===//
//
// A model file is ordinary C++ that includes this header and defines models
// with LOOM_MODEL(name) { ... }. The header is deliberately light (standard
// headers only, no MLIR), so a model file compiles in about a second; the
// functions declared here are implemented in loomc, which builds `loom` MLIR
// ops directly as they are called.
//
// Every call records the caller's file and line (std::source_location); the
// location travels on the MLIR ops, so a shape error is reported as
// `model.cpp:LINE:COL: error: ...` at the user's line. Options are named
// structs (`dense(x, {.out = 10, .name = "fc"})`), never positional numbers.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <source_location>
#include <string>
#include <vector>

namespace loom {

using Loc = std::source_location;
using Shape = std::vector<int64_t>;

/// The batch dimension. Inside a shape it stands for the batch size the
/// model is compiled for (chosen by loomc from the input data or --batch).
inline constexpr int64_t batch = -1;

/// A tensor value of the model being built. Cheap to copy: it names a value
/// of the graph. A tensor produced after an error is "invalid"; using it
/// reports nothing more, so one mistake gives one error.
class Tensor {
public:
  Tensor() = default;
  bool valid() const { return id_ >= 0; }
  Shape shape() const;
  int64_t rank() const { return int64_t(shape().size()); }
  /// Size of dimension `d`; negative `d` counts from the end.
  int64_t dim(int64_t d) const;

  /// Internal: the graph value's index.
  static Tensor fromId(int32_t id) {
    Tensor t;
    t.id_ = id;
    return t;
  }
  int32_t id() const { return id_; }

private:
  int32_t id_ = -1;
};

/// A value that remembers where in the model file it was written; lets the
/// arithmetic operators, which cannot take an extra defaulted argument,
/// record the user's line.
template <typename T> struct Located {
  T value;
  Loc loc;
  Located(T v, Loc l = Loc::current()) : value(v), loc(l) {}
};

//===----------------------------------------------------------------------===//
// Initializers: how a parameter gets its first value. Deterministic given
// the seed loomc is run with.
//===----------------------------------------------------------------------===//

namespace init {
struct Init {
  std::string kind = "zeros";
  double a = 0.0, b = 0.0;
  std::vector<double> values;
};
inline Init zeros() { return {"zeros"}; }
inline Init ones() { return {"ones"}; }
inline Init constant(double v) { return {"constant", v}; }
inline Init uniform(double low, double high) { return {"uniform", low, high}; }
inline Init normal(double mean, double stddev) { return {"normal", mean, stddev}; }
/// Glorot: U(+-gain*sqrt(6/(fan_in+fan_out))).
inline Init xavier(double gain = 1.0) { return {"xavier_uniform", gain}; }
inline Init xavier_normal(double gain = 1.0) { return {"xavier_normal", gain}; }
/// Kaiming: U(+-sqrt(6/fan_in)), for ReLU layers.
inline Init he() { return {"he_uniform"}; }
inline Init he_normal() { return {"he_normal"}; }
/// Explicit values in row-major order (hand-set weights).
inline Init values(std::vector<double> v) { return {"values", 0, 0, std::move(v)}; }
/// PyTorch's default for nn.Linear and nn.Conv2d / nn.ConvTranspose2d
/// (reset_parameters: kaiming_uniform_(a = sqrt(5))): U(-1/sqrt(fan_in),
/// 1/sqrt(fan_in)), fan_in as torch computes it for the layer's weight.
/// Only a layer knows that fan-in, so this is an `.init` for dense/linear,
/// conv2d, conv2d_transpose and gcn_layer (param() and embedding reject
/// it, naming the parameter); the layer records the concrete uniform
/// bounds on its parameters. The layer's bias, unless bias_init is given,
/// is drawn from the same U(+-1/sqrt(fan_in)), as PyTorch draws it. As a
/// bias_init it means that bias with any weight initializer. See
/// docs/initializers.md for every layer's default.
inline Init torch_default() { return {"torch_default"}; }
} // namespace init

//===----------------------------------------------------------------------===//
// Declaring a model's interface
//===----------------------------------------------------------------------===//

/// A user-provided input, e.g. input("x", {batch, 30}).
Tensor input(const std::string &name, const Shape &shape, Loc loc = Loc::current());

struct ParamOptions {
  init::Init init = init::zeros(); // any initializer but torch_default()
  bool trainable = true;
};
/// A named parameter owned by the session (checkpointed under `name`).
Tensor param(const std::string &name, const Shape &shape, ParamOptions options = {},
             Loc loc = Loc::current());
/// A named result of the forward pass.
void output(const std::string &name, Tensor value, Loc loc = Loc::current());

/// Constants: a scalar (rank 0), or a tensor given in row-major order.
Tensor constant(double value, Loc loc = Loc::current());
Tensor constant(const Shape &shape, const std::vector<double> &values,
                Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Ops. Elementwise binary ops broadcast like NumPy.
//===----------------------------------------------------------------------===//

Tensor add(Tensor a, Tensor b, Loc loc = Loc::current());
Tensor sub(Tensor a, Tensor b, Loc loc = Loc::current());
Tensor mul(Tensor a, Tensor b, Loc loc = Loc::current());
Tensor div(Tensor a, Tensor b, Loc loc = Loc::current());
Tensor maximum(Tensor a, Tensor b, Loc loc = Loc::current());
Tensor minimum(Tensor a, Tensor b, Loc loc = Loc::current());
Tensor pow(Tensor a, Tensor b, Loc loc = Loc::current());

Tensor neg(Tensor x, Loc loc = Loc::current());
Tensor exp(Tensor x, Loc loc = Loc::current());
Tensor log(Tensor x, Loc loc = Loc::current());
Tensor sqrt(Tensor x, Loc loc = Loc::current());
Tensor rsqrt(Tensor x, Loc loc = Loc::current());
Tensor tanh(Tensor x, Loc loc = Loc::current());
Tensor sigmoid(Tensor x, Loc loc = Loc::current());
Tensor relu(Tensor x, Loc loc = Loc::current());
Tensor abs(Tensor x, Loc loc = Loc::current());
/// The identity, but autodiff treats the result as a constant: no gradient
/// flows back through it (e.g. a target computed from the model itself).
Tensor stop_gradient(Tensor x, Loc loc = Loc::current());

/// Comparisons give i1 tensors, usable as select's condition.
enum class Cmp { eq, ne, lt, le, gt, ge };
Tensor compare(Tensor a, Cmp predicate, Tensor b, Loc loc = Loc::current());
Tensor select(Tensor condition, Tensor on_true, Tensor on_false,
              Loc loc = Loc::current());
/// NumPy's and PyTorch's name for select.
inline Tensor where(Tensor condition, Tensor on_true, Tensor on_false,
                    Loc loc = Loc::current()) {
  return select(condition, on_true, on_false, loc);
}

struct MatmulOptions {
  bool transpose_a = false;
  bool transpose_b = false;
};
/// [..., M, K] x [..., K, N] -> [..., M, N]; batch dimensions broadcast.
Tensor matmul(Tensor a, Tensor b, MatmulOptions options = {}, Loc loc = Loc::current());

struct ReduceOptions {
  /// Axes to reduce (negative counts from the end); empty means all axes.
  std::vector<int64_t> axes;
  bool keepdims = false;
};
Tensor reduce_sum(Tensor x, ReduceOptions options = {}, Loc loc = Loc::current());
Tensor reduce_mean(Tensor x, ReduceOptions options = {}, Loc loc = Loc::current());
Tensor reduce_max(Tensor x, ReduceOptions options = {}, Loc loc = Loc::current());

/// One dimension of `shape` may be -1 (inferred from the element count).
Tensor reshape(Tensor x, const Shape &shape, Loc loc = Loc::current());
/// Reverses the dimensions when `permutation` is empty.
Tensor transpose(Tensor x, const std::vector<int64_t> &permutation = {},
                 Loc loc = Loc::current());
Tensor broadcast_to(Tensor x, const Shape &shape, Loc loc = Loc::current());

struct SliceOptions {
  std::vector<int64_t> start; // default: 0 in every dimension
  std::vector<int64_t> limit; // default: the full size
  std::vector<int64_t> stride; // default: 1
};
Tensor slice(Tensor x, SliceOptions options, Loc loc = Loc::current());
struct PadOptions {
  std::vector<int64_t> low;      // zeros before, per dimension (default 0)
  std::vector<int64_t> high;     // zeros after, per dimension (default 0)
  std::vector<int64_t> interior; // zeros between neighbours (default 0)
};
/// Zero padding: dimension d grows to low + size + (size - 1) * interior +
/// high. pad(x, {.low = {0, 0, 2, 2}, .high = {0, 0, 2, 2}}) pads an NCHW
/// image by 2 on each side.
Tensor pad(Tensor x, PadOptions options, Loc loc = Loc::current());
struct ConcatOptions {
  int64_t axis = 0; // negative counts from the end
};
Tensor concat(const std::vector<Tensor> &inputs, ConcatOptions options = {},
              Loc loc = Loc::current());

struct AxisOptions {
  int64_t axis = -1; // negative counts from the end
};
Tensor softmax(Tensor x, AxisOptions options = {}, Loc loc = Loc::current());
Tensor log_softmax(Tensor x, AxisOptions options = {}, Loc loc = Loc::current());

struct ArgmaxOptions {
  int64_t axis = -1; // negative counts from the end
  bool keepdims = false;
};
/// The position of the largest element along the axis, as f32 (the form
/// gather and one_hot take indices in); the axis is removed unless
/// keepdims. Ties pick the first position; NaN counts as the largest (the
/// first NaN's position), as in NumPy and PyTorch. No gradient flows
/// through it.
Tensor argmax(Tensor x, ArgmaxOptions options = {}, Loc loc = Loc::current());

struct CumsumOptions {
  int64_t axis = -1;      // negative counts from the end
  bool reverse = false;   // sum from the end: y[i] = x[i] + ... + x[n-1]
  bool exclusive = false; // leave x[i] out: y[i] = x[0] + ... + x[i-1]
};
/// Running sums along the axis, y[i] = x[0] + ... + x[i] (torch.cumsum);
/// `reverse` and `exclusive` are those of tf.math.cumsum.
Tensor cumsum(Tensor x, CumsumOptions options = {}, Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

struct DenseOptions {
  int64_t out = 0;  // output features (required)
  std::string name; // parameters are NAME.weight [in, out] and NAME.bias [out]
  /// fan_in = in; torch_default() is nn.Linear's initialization.
  init::Init init = init::xavier();
  /// Unset: zeros, or U(+-1/sqrt(in)) when init is torch_default(). A
  /// bias_init given here is always used.
  std::optional<init::Init> bias_init;
  bool bias = true;
  bool trainable = true;
};
/// y = x @ weight + bias over the last dimension of x.
Tensor dense(Tensor x, DenseOptions options, Loc loc = Loc::current());
inline Tensor linear(Tensor x, DenseOptions options, Loc loc = Loc::current()) {
  return dense(x, std::move(options), loc);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling on NCHW tensors (compiler/DSL/ConvLayers.cpp)
//===----------------------------------------------------------------------===//

struct Conv2dOptions {
  int64_t out_channels = 0; // F (required)
  int64_t kernel = 0;       // square KH = KW (required) ...
  std::vector<int64_t> kernel_hw; // ... or [KH, KW]
  int64_t stride = 1;
  int64_t padding = 0;      // symmetric zero padding of H and W
  int64_t dilation = 1;
  int64_t groups = 1;       // divides C and F; groups = C = F is depthwise
  bool bias = true;
  std::string name; // parameters NAME.weight [F, C/groups, KH, KW], NAME.bias [F]
  /// fan_in = C/groups * KH * KW; torch_default() is nn.Conv2d's.
  init::Init init = init::he();
  /// Unset: zeros, or U(+-1/sqrt(fan_in)) when init is torch_default().
  std::optional<init::Init> bias_init;
  bool trainable = true;
};
/// A 2-D convolution layer on x [N, C, H, W] -> [N, F, OH, OW] (PyTorch's
/// Conv2d: same parameter names, layouts and fan-in/fan-out).
Tensor conv2d(Tensor x, Conv2dOptions options, Loc loc = Loc::current());

struct ConvTranspose2dOptions {
  int64_t out_channels = 0; // F (required)
  int64_t kernel = 0;       // KH = KW (required)
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t output_padding = 0; // in [0, stride)
  int64_t dilation = 1;
  int64_t groups = 1;
  bool bias = true;
  std::string name; // parameters NAME.weight [C, F/groups, K, K], NAME.bias [F]
  /// fan_in = F/groups * K * K (the weight's dimension 1, as torch counts
  /// it for ConvTranspose2d); torch_default() is nn.ConvTranspose2d's.
  init::Init init = init::he();
  /// Unset: zeros, or U(+-1/sqrt(fan_in)) when init is torch_default().
  std::optional<init::Init> bias_init;
  bool trainable = true;
};
/// A transposed convolution layer (PyTorch's ConvTranspose2d), e.g. a
/// generator's upsampling step.
Tensor conv2d_transpose(Tensor x, ConvTranspose2dOptions options,
                        Loc loc = Loc::current());

/// The ops themselves, on a weight you provide: [F, C/groups, KH, KW] for
/// conv2d, [C, F/groups, KH, KW] for conv2d_transpose. Pairs are [h, w].
struct ConvAttrs {
  std::vector<int64_t> stride = {1, 1};
  std::vector<int64_t> padding = {0, 0};
  std::vector<int64_t> dilation = {1, 1};
  int64_t groups = 1;
  std::vector<int64_t> output_padding = {0, 0}; // conv2d_transpose only
};
Tensor conv2d(Tensor x, Tensor weight, ConvAttrs attrs = {},
              Loc loc = Loc::current());
Tensor conv2d_transpose(Tensor x, Tensor weight, ConvAttrs attrs = {},
                        Loc loc = Loc::current());

struct Pool2dOptions {
  int64_t kernel = 0;  // square window (required)
  int64_t stride = 0;  // default: the kernel (non-overlapping windows)
  int64_t padding = 0; // at most kernel / 2
};
/// Maximum of each window; padding is -inf.
Tensor max_pool2d(Tensor x, Pool2dOptions options, Loc loc = Loc::current());
/// Average of each window; padding is zeros that count (PyTorch's default
/// count_include_pad = True).
Tensor avg_pool2d(Tensor x, Pool2dOptions options, Loc loc = Loc::current());
/// [N, C, H, W] -> [N, C]: the mean over H and W.
Tensor global_avg_pool(Tensor x, Loc loc = Loc::current());
/// [N, ...] -> [N, product of the rest], e.g. between conv and dense layers.
Tensor flatten(Tensor x, Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Activations, normalization, dropout and noise (compiler/DSL/NormLayers.cpp)
//===----------------------------------------------------------------------===//

Tensor erf(Tensor x, Loc loc = Loc::current());
struct GeluOptions {
  bool approximate_tanh = false; // PyTorch's GELU(approximate="tanh")
};
/// x * Phi(x) (PyTorch's nn.GELU).
Tensor gelu(Tensor x, GeluOptions options = {}, Loc loc = Loc::current());
struct LeakyReluOptions {
  double alpha = 0.01; // slope for x <= 0
};
Tensor leaky_relu(Tensor x, LeakyReluOptions options = {},
                  Loc loc = Loc::current());
struct ClampOptions {
  double min = 0.0, max = 1.0; // min <= max
};
Tensor clamp(Tensor x, ClampOptions options, Loc loc = Loc::current());

struct LayerNormOptions {
  /// How many trailing dimensions to normalize over (PyTorch's
  /// normalized_shape = x.shape[-dims:]).
  int64_t dims = 1;
  double epsilon = 1e-5;
  std::string name; // parameters NAME.weight (ones), NAME.bias (zeros)
  bool trainable = true;
};
/// Layer normalization with a learned per-feature scale and shift
/// (PyTorch's nn.LayerNorm).
Tensor layer_norm(Tensor x, LayerNormOptions options = {},
                  Loc loc = Loc::current());

struct BatchNormOptions {
  double epsilon = 1e-5;
  double momentum = 0.1; // weight of the batch in the running statistics
  /// Parameters NAME.weight (ones), NAME.bias (zeros), and the
  /// non-trainable running statistics NAME.running_mean (zeros) and
  /// NAME.running_var (ones): PyTorch's state-dict names.
  std::string name;
  bool trainable = true; // false freezes weight and bias (stats still update)
};
/// Batch normalization over dimension 1 of x [N, C, ...] (PyTorch's
/// BatchNorm1d/2d): batch statistics in the compiled train step, which also
/// updates the running statistics; the running statistics in forward/eval.
Tensor batch_norm(Tensor x, BatchNormOptions options = {},
                  Loc loc = Loc::current());

struct DropoutOptions {
  double rate = 0.5; // probability of zeroing an element, in [0, 1)
  /// The mask's stream; by default the dropout's position in the model
  /// (0, 1, 2, ...), so two dropouts never share a mask.
  int64_t seed = -1;
};
/// Inverted dropout in the compiled train step (survivors scaled by
/// 1 / (1 - rate)), the identity in forward and eval.
Tensor dropout(Tensor x, DropoutOptions options = {}, Loc loc = Loc::current());

struct RandomNormalOptions {
  double mean = 0.0, stddev = 1.0;
  /// The noise's stream; by default the call's position among the model's
  /// random_normal calls (0, 1, 2, ...), so two calls never draw alike.
  int64_t seed = -1;
};
/// Noise ~ N(mean, stddev^2) of `shape` (which may hold `batch`), drawn in
/// the graph (a GAN generator's input): new noise on every compiled train
/// step (keyed by the step number, so a resumed run draws the same), and
/// one fixed draw in forward and eval. No gradient flows through it.
Tensor random_normal(const Shape &shape, RandomNormalOptions options = {},
                     Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Attention and Transformers (compiler/DSL/TransformerLayers.cpp)
//===----------------------------------------------------------------------===//

struct AttentionOptions {
  bool causal = false; // position i attends to positions <= i only
  double scale = 0;    // default 1 / sqrt(D)
};
/// softmax(q k^T * scale) v over the last two dimensions: q [..., Lq, D],
/// k [..., Lk, D], v [..., Lk, Dv] -> [..., Lq, Dv].
Tensor attention(Tensor q, Tensor k, Tensor v, AttentionOptions options = {},
                 Loc loc = Loc::current());

struct LinearOptions {
  int64_t out = 0;  // output features (required)
  std::string name; // NAME.weight [out, in] (PyTorch's layout), NAME.bias [out]
  bool bias = true;
  bool trainable = true;
};
/// PyTorch's nn.Linear: y = x W^T + b with W [out, in], both initialized
/// U(-1/sqrt(in), 1/sqrt(in)) (init::torch_default()). The same layer as
/// dense() with init = torch_default(), which keeps W as [in, out].
Tensor torch_linear(Tensor x, LinearOptions options, Loc loc = Loc::current());

struct MultiHeadAttentionOptions {
  int64_t heads = 1; // divides the model width E
  bool causal = false;
  double dropout = 0.0; // on the attention output, in training only
  /// NAME.in_proj_weight [3E, E], NAME.in_proj_bias [3E],
  /// NAME.out_proj.weight [E, E], NAME.out_proj.bias [E]: the state-dict
  /// names and initializations of PyTorch's nn.MultiheadAttention
  /// (in_proj_weight Xavier-uniform over [3E, E], out_proj.weight
  /// U(+-1/sqrt(E)), both biases zeros).
  std::string name;
  bool trainable = true;
};
/// Self-attention of x [B, L, E] with `heads` heads of E / heads features.
Tensor multi_head_attention(Tensor x, MultiHeadAttentionOptions options,
                            Loc loc = Loc::current());

struct TransformerEncoderLayerOptions {
  int64_t heads = 1;
  int64_t ff = 2048;    // feed-forward width
  double dropout = 0.1; // PyTorch's default
  bool gelu = false;    // activation: relu (default) or gelu
  bool norm_first = false;
  bool causal = false;
  double epsilon = 1e-5;
  /// NAME.self_attn.*, NAME.linear1.*, NAME.linear2.*, NAME.norm1.*,
  /// NAME.norm2.*: nn.TransformerEncoderLayer's state-dict names and
  /// initializations (self_attn as multi_head_attention, linear1/2 as
  /// torch_linear, norms ones and zeros).
  std::string name;
  bool trainable = true;
};
/// PyTorch's nn.TransformerEncoderLayer(batch_first=True) on x [B, L, E]:
/// x = norm1(x + drop(attn(x))); x = norm2(x + drop(ff(x))) (or the
/// pre-norm form with norm_first), ff = linear2(drop(act(linear1(x)))).
Tensor transformer_encoder_layer(Tensor x, TransformerEncoderLayerOptions options,
                                 Loc loc = Loc::current());

struct BasicBlockOptions {
  int64_t out_channels = 0; // required
  int64_t stride = 1;       // 2 halves H and W
  /// NAME.conv1, NAME.bn1, NAME.conv2, NAME.bn2, and where the shape
  /// changes NAME.downsample.0 (1x1 conv) / NAME.downsample.1 (batch_norm):
  /// torchvision's ResNet BasicBlock names. The convolutions keep conv2d's
  /// default he_uniform (torchvision uses kaiming_normal_ with fan_out),
  /// the batch norms ones and zeros.
  std::string name;
  bool trainable = true;
};
/// A residual basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut),
/// 3x3 convolutions without bias, shortcut the identity or a 1x1 conv + BN.
Tensor residual_block(Tensor x, BasicBlockOptions options,
                      Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Indexing and graphs (compiler/DSL/IndexingLayers.cpp)
//
// Indices are f32 tensors holding integers, as class labels are. An index
// that is negative, not an integer or too large is an error when the model
// runs, naming the index, the size and your line; the generated code never
// reads or writes outside a tensor.
//===----------------------------------------------------------------------===//

struct GatherOptions {
  int64_t axis = 0; // negative counts from the end
};
/// Slices of `table` along `axis` at `indices`: the result's shape is
/// table.shape[:axis] + indices.shape + table.shape[axis+1:] (numpy.take).
/// The gradient flows to the table (summed over repeated indices).
Tensor gather(Tensor table, Tensor indices, GatherOptions options = {},
              Loc loc = Loc::current());

struct EmbeddingOptions {
  int64_t num_embeddings = 0; // V, the table's rows (required)
  int64_t dim = 0;            // D (required)
  std::string name;           // parameter NAME.weight [V, D]
  init::Init init = init::normal(0.0, 1.0); // as PyTorch's nn.Embedding
  bool trainable = true;
};
/// Looks up rows of a learned table: indices [...] -> [..., D].
Tensor embedding(Tensor indices, EmbeddingOptions options,
                 Loc loc = Loc::current());

struct ScatterAddOptions {
  int64_t dim_size = 0; // N, the result's size along axis (required)
  int64_t axis = 0;     // where the indices' dimensions sit in updates
};
/// Sums slices of `updates` into N positions along `axis` (a segment sum):
/// updates P + indices.shape + Q -> P + [N] + Q. The transpose of gather.
Tensor scatter_add(Tensor updates, Tensor indices, ScatterAddOptions options,
                   Loc loc = Loc::current());

struct OneHotOptions {
  int64_t num_classes = 0; // C (required)
};
/// indices [...] -> f32 [..., C] with a 1 at each index.
Tensor one_hot(Tensor indices, OneHotOptions options, Loc loc = Loc::current());

struct SplitOptions {
  std::vector<int64_t> sizes; // summing to the size along axis (required)
  int64_t axis = 0;           // negative counts from the end
};
/// Consecutive slices of `x` along `axis` with the given sizes.
std::vector<Tensor> split(Tensor x, SplitOptions options,
                          Loc loc = Loc::current());

/// A graph for graph neural networks, read when the model is built. It
/// holds every edge of D^-1/2 (A + I) D^-1/2 (Kipf & Welling's normalized
/// adjacency with self loops) as index lists and weights.
struct Graph {
  int64_t num_nodes = 0;
  std::vector<int64_t> source, target; // edge s -> t, self loops included
  std::vector<double> weight;          // 1 / sqrt(deg(s) deg(t))
  std::string file;                    // where it was read from
};
struct GraphOptions {
  int64_t num_nodes = 0;  // 0: the largest node index + 1
  bool undirected = true; // each line is an edge both ways
};
/// Reads a CSV edge list, one "source,target" pair of 0-based node indices
/// per line (a header line, blank lines and # comments are skipped). A
/// relative path is looked up next to the model file, then in the working
/// directory. Repeated edges count once.
Graph graph_from_edge_list(const std::string &path, GraphOptions options = {},
                           Loc loc = Loc::current());

struct GcnOptions {
  int64_t out = 0;  // output features (required)
  std::string name; // parameters NAME.weight [in, out], NAME.bias [out]
  /// fan_in = in. The bias is zeros, or U(+-1/sqrt(in)) with
  /// torch_default().
  init::Init init = init::xavier();
  bool bias = true;
  bool trainable = true;
};
/// One graph convolution (Kipf & Welling): x [num_nodes, in] ->
/// D^-1/2 (A + I) D^-1/2 x W + b, computed as a gather of x W along the
/// edges, scaled by the edge weights and summed into the targets with
/// scatter_add.
Tensor gcn_layer(Tensor x, const Graph &graph, GcnOptions options,
                 Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Recurrent layers (compiler/DSL/RecurrentLayers.cpp)
//
// One layer, one direction, batch-first, over a sequence of static length:
// PyTorch's nn.LSTM / nn.GRU(batch_first=True) with num_layers = 1. The
// parameters are PyTorch's without the layer suffix: NAME.weight_ih
// [G*H, I], NAME.weight_hh [G*H, H], NAME.bias_ih and NAME.bias_hh [G*H]
// (PyTorch's weight_ih_l0 and so on), G = 4 gates i, f, g, o for lstm and
// 3 gates r, z, n for gru, all initialized U(-1/sqrt(H), 1/sqrt(H)) like
// PyTorch. The time loop stays a loop in the compiled code.
//===----------------------------------------------------------------------===//

struct LstmOptions {
  int64_t hidden = 0; // H (required)
  std::string name;   // parameter prefix; default lstm0, lstm1, ...
  /// Initial states [batch, H]; zeros when not given.
  std::optional<Tensor> h0, c0;
  bool trainable = true;
};
/// The hidden-state sequence [B, T, H] and the final states h, c [B, H].
struct LstmResult {
  Tensor ys, h, c;
};
/// LSTM over x [B, T, I]: returns every step's hidden state [B, T, H].
Tensor lstm(Tensor x, LstmOptions options, Loc loc = Loc::current());
/// The same layer, also returning the final hidden and cell states.
LstmResult lstm_with_state(Tensor x, LstmOptions options,
                           Loc loc = Loc::current());

struct GruOptions {
  int64_t hidden = 0; // H (required)
  std::string name;   // parameter prefix; default gru0, gru1, ...
  std::optional<Tensor> h0; // initial state [batch, H]; zeros if not given
  bool trainable = true;
};
/// The hidden-state sequence [B, T, H] and the final state h [B, H].
struct GruResult {
  Tensor ys, h;
};
/// GRU over x [B, T, I]: returns every step's hidden state [B, T, H].
Tensor gru(Tensor x, GruOptions options, Loc loc = Loc::current());
/// The same layer, also returning the final hidden state.
GruResult gru_with_state(Tensor x, GruOptions options, Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Training: labels, the loss, metrics (compiler/DSL/Training.cpp)
//
// A trainable model also declares its labels, one scalar loss and any
// number of scalar metrics. loomc then builds @eval (loss and metrics) and
// @train_step (forward, gradients and the optimizer in one compiled
// function) from it; @forward keeps only the outputs, so inference never
// needs the labels.
//===----------------------------------------------------------------------===//

/// An input needed only for the loss and metrics (targets, class labels),
/// e.g. label("y", {batch, 1}).
Tensor label(const std::string &name, const Shape &shape,
             Loc loc = Loc::current());
struct LossOptions {
  /// Names the loss in a model with several (reported as NAME_loss, trained
  /// by the entry train_step_NAME): letters, digits and '_'.
  std::string name;
  /// The parameter-name prefixes this loss trains ({"gen."} covers
  /// gen.fc1.weight, ...); required with a name. Every trainable parameter
  /// belongs to exactly one loss.
  std::vector<std::string> params;
};
/// Declares the model's loss: a scalar (rank 0) to minimize. Most models
/// have one, without options (sum the terms of a composite loss), trained
/// over every parameter. A model with adversaries (a GAN's discriminator
/// and generator) declares several, each named with its own parameters:
///   loss(d_loss, {.name = "discriminator", .params = {"disc."}});
///   loss(g_loss, {.name = "generator", .params = {"gen."}});
/// and loomc train runs their steps in this order on every batch. (A local
/// variable named `loss` hides this function: name it `l`, or call
/// loom::loss.)
void loss(Tensor scalar, LossOptions options = {}, Loc loc = Loc::current());
/// A named scalar reported next to the loss (never differentiated).
void metric(const std::string &name, Tensor scalar, Loc loc = Loc::current());

// Losses. Each is the mean over all elements; `pred` and `target` must have
// the same shape (broadcasting [B,1] against [B] would silently compare
// every pair).

/// mean((pred - target)^2)
Tensor mse(Tensor pred, Tensor target, Loc loc = Loc::current());
/// mean(|pred - target|)
Tensor l1_loss(Tensor pred, Tensor target, Loc loc = Loc::current());
struct HuberOptions {
  double delta = 1.0; // where the quadratic turns linear (> 0)
};
/// mean(d <= delta ? 0.5 d^2 : delta (d - delta / 2)), d = |pred - target|
/// (PyTorch's HuberLoss).
Tensor huber(Tensor pred, Tensor target, HuberOptions options = {},
             Loc loc = Loc::current());
/// Binary cross-entropy on logits, targets in [0, 1]:
/// mean(max(x, 0) - x y + log(1 + e^-|x|)), which never overflows and has
/// the exact gradient sigmoid(x) - y (also at x = 0).
Tensor bce_with_logits(Tensor logits, Tensor targets, Loc loc = Loc::current());
/// Multiclass cross-entropy: logits [B, C], labels [B] holding class indices
/// 0..C-1 as f32. mean over the batch of -log_softmax(logits)[label], with
/// log_softmax's max-subtracted (stable) form. A label outside 0..C-1
/// matches no class and contributes 0. No gradient flows to the labels.
Tensor softmax_cross_entropy(Tensor logits, Tensor labels,
                             Loc loc = Loc::current());

// Metrics (scalars; use with metric()).

/// Fraction of rows whose label class has the largest logit (logits [B, C],
/// labels [B] as for softmax_cross_entropy). A row where the label's logit
/// ties for the maximum counts as correct.
Tensor accuracy(Tensor logits, Tensor labels, Loc loc = Loc::current());
/// Fraction of elements where (logit > 0) equals (target > 0.5).
Tensor binary_accuracy(Tensor logits, Tensor targets, Loc loc = Loc::current());
/// sqrt(mse(pred, target))
Tensor rmse(Tensor pred, Tensor target, Loc loc = Loc::current());
/// mean(|pred - target|), the same value as l1_loss.
Tensor mae(Tensor pred, Tensor target, Loc loc = Loc::current());

//===----------------------------------------------------------------------===//
// Operators
//===----------------------------------------------------------------------===//

inline Tensor operator+(Tensor a, Located<Tensor> b) { return add(a, b.value, b.loc); }
inline Tensor operator-(Tensor a, Located<Tensor> b) { return sub(a, b.value, b.loc); }
inline Tensor operator*(Tensor a, Located<Tensor> b) { return mul(a, b.value, b.loc); }
inline Tensor operator/(Tensor a, Located<Tensor> b) { return div(a, b.value, b.loc); }
inline Tensor operator+(Tensor a, Located<double> b) { return add(a, constant(b.value, b.loc), b.loc); }
inline Tensor operator-(Tensor a, Located<double> b) { return sub(a, constant(b.value, b.loc), b.loc); }
inline Tensor operator*(Tensor a, Located<double> b) { return mul(a, constant(b.value, b.loc), b.loc); }
inline Tensor operator/(Tensor a, Located<double> b) { return div(a, constant(b.value, b.loc), b.loc); }
inline Tensor operator+(Located<double> a, Tensor b) { return add(constant(a.value, a.loc), b, a.loc); }
inline Tensor operator-(Located<double> a, Tensor b) { return sub(constant(a.value, a.loc), b, a.loc); }
inline Tensor operator*(Located<double> a, Tensor b) { return mul(constant(a.value, a.loc), b, a.loc); }
inline Tensor operator/(Located<double> a, Tensor b) { return div(constant(a.value, a.loc), b, a.loc); }
inline Tensor operator-(Located<Tensor> x) { return neg(x.value, x.loc); }

//===----------------------------------------------------------------------===//
// Registering models
//===----------------------------------------------------------------------===//

namespace detail {
using ModelFn = void (*)();
/// Called by LOOM_MODEL's static registrar when loomc loads the model file.
void registerModel(const char *name, ModelFn fn, const char *file, int line);
struct ModelRegistrar {
  ModelRegistrar(const char *name, ModelFn fn, const char *file, int line) {
    registerModel(name, fn, file, line);
  }
};
} // namespace detail

} // namespace loom

/// Defines a model named NAME; the body declares inputs, parameters and
/// outputs and computes with the ops above.
#define LOOM_MODEL(NAME)                                                       \
  static void loom_model_##NAME();                                             \
  static ::loom::detail::ModelRegistrar loom_registrar_##NAME(                 \
      #NAME, &loom_model_##NAME, __FILE__, __LINE__);                          \
  static void loom_model_##NAME()

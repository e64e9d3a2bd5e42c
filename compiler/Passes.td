//===- Passes.td - Every Loom pass ---------------------------*- tablegen -*-===//
//
// Declarations of Loom's passes; each is implemented in its own file under
// Transforms/ or Conversion/. The order they run in is in Pipelines.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_PASSES_TD
#define LOOM_PASSES_TD

include "mlir/Pass/PassBase.td"

def LoomDecompose : Pass<"loom-decompose", "mlir::ModuleOp"> {
  let summary = "Rewrites composite loom ops into primitive loom ops";
  let description = [{
    softmax and log_softmax become the max-subtracted reductions and
    elementwise ops they are made of, and reduce_mean becomes reduce_sum
    times 1/n, so code generation only has to handle primitives. lstm, gru
    and their backward ops become an scf.for over time (tensor iter_args,
    tensor.extract_slice / insert_slice at the loop index) around primitive
    loom ops.
  }];
  let dependentDialects = ["loom::LoomDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect"];
}

def LoomAutodiff : Pass<"loom-autodiff", "mlir::ModuleOp"> {
  let summary = "Derives the gradient function of every loss function";
  let description = [{
    For each func.func whose first result carries `loom.loss` (a rank-0 f32
    tensor), adds `@<name>_grad` with the same arguments, returning the loss
    followed by d(loss)/d(arg) for every argument with `loom.param` that is
    not `loom.trainable = false` (or, if no argument is a parameter, every
    f32 argument). Each gradient result carries `loom.grad = "<param name or
    argN>"`; the original function is kept. The gradient is one reverse
    sweep of the ops' GradientOpInterface rules (see Transforms/Autodiff.h):
    only ops between a differentiated argument and the loss are visited, so
    frozen parameters and labels cost nothing. An op on that path without a
    rule is an error naming it. Run canonicalize and CSE afterwards to fold
    the seed's multiplications by one.
  }];
  let dependentDialects = ["loom::LoomDialect"];
}

def LoomTrainingEntries : Pass<"loom-training-entries", "mlir::ModuleOp"> {
  let summary = "Builds @eval and @train_step from a model's @forward";
  let description = [{
    @forward returns the model's outputs, its loss (result attribute
    `loom.loss`, rank-0 f32) and metrics (`loom.metric = "name"`). The pass
    adds `@eval(inputs, params) -> (loss, metrics)` and
    `@train_step(inputs, params, states, lr, step) -> (loss, metrics, new
    params, new states)`: @forward's ops, the loss's gradients
    (Transforms/Autodiff.h), optional clipping by global norm and the
    optimizer update, all as loom ops. Optimizer states carry
    `loom.state = "<param>.<m|v|momentum>"`, the run-time learning rate and
    1-based step `loom.hyper = "lr" | "step"`, updates
    `loom.param_update` / `loom.state_update`. Frozen parameters
    (`loom.trainable = false`) get no gradient, state or update. @forward is
    pruned to its `loom.output` results and loses the arguments only the
    loss used (labels); parameters stay. Formulas follow torch.optim (see
    Transforms/Training.h).
  }];
  let options = [
    Option<"optimizer", "optimizer", "std::string", /*default=*/"\"sgd\"",
           "sgd, momentum, adam or adamw">,
    Option<"momentum", "momentum", "double", "0.9",
           "Momentum factor of the momentum optimizer">,
    Option<"nesterov", "nesterov", "bool", "false",
           "Nesterov momentum (momentum optimizer)">,
    Option<"beta1", "beta1", "double", "0.9", "Adam's first-moment decay">,
    Option<"beta2", "beta2", "double", "0.999", "Adam's second-moment decay">,
    Option<"eps", "eps", "double", "1e-8", "Adam's denominator epsilon">,
    Option<"weightDecay", "weight-decay", "double", "0.0",
           "L2 weight decay (decoupled for adamw)">,
    Option<"clipNorm", "clip-norm", "double", "0.0",
           "Clip gradients to this global L2 norm (0: off)">,
  ];
  let dependentDialects = ["loom::LoomDialect", "mlir::func::FuncDialect"];
}

def ConvertLoomToLinalg : Pass<"convert-loom-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers primitive loom ops to linalg, tensor, arith and math";
  let description = [{
    Elementwise ops become one linalg.generic each (broadcast operands read
    through projected indexing maps), matmul a contraction generic,
    reductions and argmax generics with reduction iterators, cumsum an
    scf.for over its axis, and data movement ops tensor/linalg ops.
    Composite ops must be decomposed first (-loom-decompose); any loom op
    left is an error naming it.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect",
    "mlir::math::MathDialect",
    // The run-time index check of the indexing family (IndexingToLinalg.cpp)
    // and cumsum's loop (ScanToLinalg.cpp).
    "mlir::scf::SCFDialect", "mlir::func::FuncDialect",
    "mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"convAlgorithm", "conv-algorithm", "std::string", /*default=*/"",
           "How stride-1 ungrouped conv2d is lowered: im2col (a gather and a "
           "matrix product), direct (linalg.conv_2d_nchw_fchw, for "
           "-loom-conv-to-call), static (direct wherever output rows fill a "
           "micro-kernel tile, as loomc build uses), or measure (time both "
           "per shape on this "
           "machine, take the faster). Empty: LOOM_CONV_ALGORITHM, else "
           "measure (ConvAlgorithm.h).">
  ];
}

def LoomRecordBufferNeeds : Pass<"loom-record-buffer-needs", "mlir::ModuleOp"> {
  let summary = "Records each entry point's temporary buffers on the module";
  let description = [{
    Runs after bufferization. For every public function it counts the
    buffers the function allocates per call (memref.alloc / alloca, static
    shapes) and their total size, and stores them in the module attribute
    `loom.buffer_needs = {name = {buffers = N, bytes = B, workspace = W}}`
    (W: the workspace -loom-plan-buffers laid out, from the function's
    `loom.workspace_bytes`), which the CPU target copies into the
    executable's entry points.
  }];
}

def LoomAlgebraicSimplify : Pass<"loom-algebraic-simplify", "mlir::ModuleOp"> {
  let summary = "Rewrites unstable compositions into their stable forms";
  let description = [{
    Local rewrites that keep the value and improve the numerics, on loom
    ops before lowering (and, through populateAlgebraicSimplifyPatterns,
    on @forward before it is differentiated, so the backward pass gets the
    stable form too):

    - `log(softmax(x, axis))` becomes `log_softmax(x, axis)`: no log of an
      underflowed 0 (-inf) when one logit dominates.
    - `log(sigmoid(x))` becomes `-softplus(-x)` and `log(1 - sigmoid(x))`
      becomes `-softplus(x)`, with softplus(x) = max(x, 0) + log(1 +
      exp(-|x|)): binary cross-entropy written on probabilities turns into
      the logits form, finite for any x (the naive form gives log(0) =
      -inf once sigmoid rounds to 0 or 1, near |x| = 17 in f32).
    - `neg(neg(x))` becomes `x`.

    ```mlir
    %p = loom.sigmoid %x : tensor<4xf32>
    %l = loom.log %p : tensor<4xf32>
    // becomes
    %n = loom.neg %x ...  // then max(n, 0) + log(1 + exp(-|n|)), negated
    ```
  }];
}

def LoomFoldBatchNorm : Pass<"loom-fold-batch-norm", "mlir::ModuleOp"> {
  let summary = "Folds inference-mode batch_norm into the convolution before it";
  let description = [{
    In inference mode batch_norm is a per-channel affine map, so a
    convolution feeding it (and nothing else) can absorb it:

    ```
    s = gamma * rsqrt(running_var + epsilon)          [F]
    batch_norm(conv2d(x, w)) = conv2d(x, w * s[f]) + (beta - running_mean * s)
    ```

    The scaled weight and the shift are computed from the parameters in the
    graph (they are run-time values), a [F]-sized and a weight-sized
    elementwise pass instead of two passes over the activations; the shift
    is a broadcast add that fusion puts into the convolution's epilogue.
    The batch_norm's running-statistics results equal its running-statistics
    operands in inference mode and are replaced by them. Training-mode
    batch_norm (@train_step) is left alone.
  }];
}

def LoomFuseElementwise : Pass<"loom-fuse-elementwise", "mlir::ModuleOp"> {
  let summary = "Fuses chains of pointwise linalg.generics into one";
  let description = [{
    Producer-consumer fusion of linalg.generic ops on tensors (upstream's
    elementwise fusion patterns) under Loom's rule: the producer is
    all-parallel and the consumer reads its result through a permutation
    of all the consumer's loops, so every producer element is computed once
    where it is used: pointwise chains, and a pointwise producer into a
    reduction over its own elements (a sum of squares, a bias gradient's
    sum over the batch). A matmul operand or a broadcast is read through a
    projection, which would recompute the producer for every column or
    copy, so those stay apart. A producer with
    other users is fused only when they all come after the consumer: its
    results become extra results of the fused op, so nothing is computed
    twice. A chain like bias + activation, or an optimizer's whole update
    of one parameter (new moments and new weight), becomes one loop nest:
    one kernel, one pass over memory, and less code for LLVM to compile.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def LoomPlanBuffers : Pass<"loom-plan-buffers", "mlir::ModuleOp"> {
  let summary = "Writes results in place and puts temporaries in one workspace by liveness";
  let description = [{
    Runs after bufferization, on every public function. A temporary whose
    last use is the copy into an out-parameter becomes that out-parameter
    (no copy). Every other top-level temporary with a static shape and only
    understood uses (linalg ops, copies, loads/stores, views) becomes a
    memref.view at a fixed offset of a new last argument
    `memref<?xi8> {loom.workspace}`; temporaries whose lifetimes (allocation
    to last use, in top-level op order) do not overlap share bytes. The
    workspace size is recorded as `loom.workspace_bytes` on the function.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect",
    "mlir::arith::ArithDialect"];
}

def LoomGemmEpilogueInPlace : Pass<"loom-gemm-epilogue-in-place", "mlir::ModuleOp"> {
  let summary = "Makes the pointwise op after a matrix product write the product's buffer";
  let description = [{
    Runs right after bufferization, before -loom-plan-buffers. A matrix
    product (a linalg.generic with one reduction loop and a `c + a * b`
    body) writes C; when C's next and last reader is an all-parallel
    linalg.generic E that reads C through the identity and writes, through
    the identity, a memref.alloc O of C's type that it does not read, O is
    replaced by C (and its allocation and deallocation dropped): E then
    runs in place on C, which -loom-gemm-to-call can turn into the GEMM's
    epilogue. Of two such outputs the one E's other result is computed from
    (a pre-activation next to its relu) becomes C. Anything else is left
    alone; the rewrite is correct whether or not the epilogue is fused.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def LoomGemmToCall : Pass<"loom-gemm-to-call", "mlir::ModuleOp"> {
  let summary = "Replaces matrix-multiply linalg.generics by calls to the runtime's GEMM";
  let description = [{
    Runs after bufferization. A linalg.generic on f32 memrefs with one
    reduction loop and a multiply-accumulate body (`c + a * b`), whose
    indexing maps are projected permutations (constant 0 allowed for a
    size-1 dimension), is a batched matrix product: the parallel loops only
    the first input reads are rows (M), those only the second reads are
    columns (N), those both read are batch loops. It becomes one call of
    `loom_rt_gemm_f32` (runtime/include/loom/rt/Gemm.h) with the operands'
    base pointers and element strides, so transposes, broadcasts over a batch
    dimension and strided views cost nothing. Extra row (column) loops fold
    into M (N) when the strides allow, otherwise they become batch loops;
    the runtime takes two batch loops, more become scf.for loops around the
    call. The call accumulates into the output, as the generic did.

    Epilogue: when the next op touching C is an all-parallel generic E that
    writes C in place (see -loom-gemm-epilogue-in-place) with a body of the
    form act(alpha * c + d) -- `mulf c, constant` for alpha, `addf` with
    another input D read through a projected permutation (a bias along rows
    or columns, a residual), `maximumf x, 0` (relu) for act, each optional
    -- or E has a second output O with C = alpha * c + d and O = relu(C),
    the call is `loom_rt_gemm_f32_ep`, which applies this to each C tile
    after its last k block, and E is erased.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::scf::SCFDialect",
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
    "mlir::LLVM::LLVMDialect"];
}

def LoomOutlineKernels : Pass<"loom-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Moves every linalg op of an entry into its own kernel function";
  let description = [{
    Runs after bufferization. Each linalg op (on memrefs) of a public
    function becomes a private function `@<entry>_k<N>` marked noinline,
    called with the op's operands and the scalars its body captures
    (constants are cloned instead). One kernel per loop nest is the unit
    code generation works on (the CPU target here, one CUDA kernel per
    fused region later), it keeps LLVM's analyses per function small (a
    train step with a thousand loop nests in one function spent most of its
    compile time in ScalarEvolution walking dominators), and profiles name
    the kernel that is slow.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def LoomApproximateMath : Pass<"loom-approximate-math", "mlir::ModuleOp"> {
  let summary = "Replaces tanh and exp by polynomial approximations the vectorizer can take";
  let description = [{
    CPU only, just before lowering to LLVM. A call of libm's tanhf or expf
    inside a loop keeps LLVM's loop vectorizer from vectorizing the loop:
    an LSTM step spent 17% of its time in scalar tanhf/expm1f/expf. This
    pass rewrites math.tanh and math.exp on f32 into MLIR's polynomial
    approximations (plain arith ops: a rational approximation of tanh with
    a small-|x| cut-off, and exp by range reduction plus a polynomial), so
    pointwise kernels vectorize as a whole. Their error against the double
    precision functions is measured by MathApproximationTest. log, erf and
    the rest keep the library calls.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
    "mlir::vector::VectorDialect"];
}

def LoomConvToCall : Pass<"loom-conv-to-call", "mlir::ModuleOp"> {
  let summary = "Direct convolutions become calls of the runtime's loom_rt_conv2d_f32";
  let description = [{
    Runs after bufferization, next to -loom-gemm-to-call. A
    linalg.conv_2d_nchw_fchw on f32 memrefs with strides 1 (what
    -convert-loom-to-linalg emits where the direct algorithm measured
    faster; the input already padded) becomes a call of
    `loom_rt_conv2d_f32` (runtime/include/loom/rt/Conv.h) with the base
    pointers, sizes, dilations and element strides. The input's and
    output's last dimensions must be contiguous and all strides static;
    anything else stays the named op and is lowered to loops, correct but
    slow.
  }];
  let dependentDialects = ["mlir::func::FuncDialect",
    "mlir::LLVM::LLVMDialect", "mlir::arith::ArithDialect",
    "mlir::memref::MemRefDialect"];
}

def LoomFillPerUse : Pass<"loom-fill-per-use", "mlir::ModuleOp"> {
  let summary = "Gives every use of a constant-filled empty tensor its own fill";
  let description = [{
    Runs on tensors just before bufferization. CSE leaves one
    `linalg.fill` of a tensor.empty shared by every product, convolution
    or reduction of the same shape; each writes its result over it, so
    bufferization keeps the filled buffer for the whole function and
    copies it for every user. Each use but the first gets a clone of the
    empty tensor and the fill, right before the user, so every user fills
    its own buffer in place.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect"];
}

def LoomStridedCopies : Pass<"loom-strided-copies", "mlir::ModuleOp"> {
  let summary = "Turns memref.copy between non-contiguous views into copy kernels";
  let description = [{
    Runs after bufferization, before -loom-outline-kernels. A memref.copy
    whose source or target is not a contiguous row-major buffer (a strided
    subview: a padded interior, a pooling window's taps, a transpose) lowers
    to a call of the runner utilities' generic `memrefCopy`, which walks
    the elements one index computation at a time. Such a copy becomes an
    all-parallel linalg.generic instead, so it is outlined into a kernel,
    lowered to loops with static strides and vectorized like any other.
    Copies between contiguous buffers stay (they become memcpy).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def LoomFillBorder : Pass<"loom-fill-border", "mlir::ModuleOp"> {
  let summary = "Fills only the part of a buffer the next write leaves untouched";
  let description = [{
    Runs after planning, before -loom-strided-copies. A linalg.fill of a
    static buffer P whose next access (through P or any view of it) is an
    all-parallel linalg op writing every element of a subview S of P
    (identity map, old value unread, static offsets and sizes, unit
    strides) and nothing else of P becomes fills of P minus S: at most two
    slabs per dimension. A padded convolution input (fill, then the
    interior written) fills only its border: 11% of ResNet's 32x16x34x34
    buffers instead of all of it. A memref.copy into S from another
    buffer counts as such a write.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
    "mlir::memref::MemRefDialect"];
}

def LoomCollapseLoops : Pass<"loom-collapse-loops", "mlir::ModuleOp"> {
  let summary = "Merges adjacent loop dimensions of linalg ops on contiguous buffers";
  let description = [{
    Runs after bufferization and planning, before -loom-outline-kernels.
    For each linalg.generic, linalg.fill and linalg.copy on static memrefs,
    adjacent loop dimensions d_i, d_i+1 merge into one when they have the
    same iterator type, every indexing map uses them as a contiguous,
    in-order run of results (or not at all), and every operand is
    contiguous across the corresponding memref dimensions
    (stride[j] == stride[j+1] * size[j+1]). Operands get a
    memref.collapse_shape; a broadcast operand's unit dimensions read
    through a constant 0 (`(d0, d1, d2, d3) -> (d1, 0, 0)`) are collapsed
    away first. Ops whose maps are not projected permutations (a
    convolution's window gather) or whose body reads linalg.index stay.

    Why: LLVM's O3 fully unrolls short static inner loops; a fill of
    32x1x16x1024 floats became one basic block of 4101 instructions, and
    the machine schedulers are quadratic in block size (70% of a ResNet
    cold compile). As one loop of 524288 it is vectorized, not unrolled,
    and pointwise kernels get longer innermost loops.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
    "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def LoomParallelKernels : Pass<"loom-parallel-kernels", "mlir::ModuleOp"> {
  let summary = "Splits large kernel loops over the runtime's thread pool";
  let description = [{
    Runs on the kernels after -loom-outline-kernels (CPU only). A linalg op
    on buffers with at least `min-work` operations (iterations times body
    ops plus operands) is outlined into a function of a range [lo, hi) of
    its first parallel dimension that every operand indexes plainly (or
    not at all), which runs the op on memref.subview slices; the op
    becomes a call of loom_rt_parallel_for with that function and a
    context struct (on the kernel's stack) holding the memref descriptors
    and scalars it uses. Only parallel dimensions are split, so results do
    not depend on the thread count. Each range is worth at least half of
    min-work, and a multiple of 16 iterations when the dimension is the
    innermost loop.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"262144",
           "Fewest operations (iterations x (body ops + operands)) worth "
           "splitting over threads">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
    "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect"];
}

def LoomReductionLoops : Pass<"loom-reduction-loops", "mlir::ModuleOp"> {
  let summary = "Lowers reductions over innermost dimensions with register accumulators";
  let description = [{
    Runs on the kernels, just before convert-linalg-to-loops (CPU only). A
    linalg.generic on buffers whose innermost loop dimensions are
    reductions is lowered to scf.for loops here: the outputs that do not
    depend on that trailing run of reductions are loaded once, carried
    through the trailing loops as iter_args and stored once, instead of
    being loaded and stored at every element (LLVM cannot keep them in a
    register, not knowing that output and input do not overlap). The op
    that combines the carried value with the next element is marked
    `reassoc` so that LLVM vectorizes the loop with several partial sums:
    within one trailing run the order of the additions changes, the
    result stays deterministic. Other outputs are stored at every point.
    Ops whose innermost dimension is parallel, ops on tensors and ops that
    read a carried buffer through another operand are left alone.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
    "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
    "mlir::affine::AffineDialect", "mlir::LLVM::LLVMDialect"];
}

def LoomLoopStateInPlace : Pass<"loom-loop-state-in-place", "mlir::ModuleOp"> {
  let summary = "Lets a loop's new state be written over its iter_arg";
  let description = [{
    Runs on tensors just before bufferization. When the value an scf.for
    yields for an iter_arg is a result of an all-parallel linalg.generic
    whose init for that result is a tensor.empty the body never reads, the
    init becomes the iter_arg, so one-shot bufferization writes the new
    state (a recurrent layer's h and c) over the old in one buffer instead
    of allocating a buffer per time step. Likewise, when the new state is
    a product accumulated into a zero linalg.fill of a tensor.empty (the
    backward loop's dh), the fill writes the iter_arg. Bufferization
    inserts a copy where writing in place would conflict, so results never
    change.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // LOOM_PASSES_TD

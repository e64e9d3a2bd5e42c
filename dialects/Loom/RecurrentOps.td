//===- RecurrentOps.td - LSTM and GRU over a sequence --------*- tablegen -*-===//
//
// lstm and gru run one recurrent layer over a batch-first sequence of static
// length, with PyTorch's weight layouts and gate orders; lstm_grad and
// gru_grad are their backward passes through time (the VJPs build them).
// Included by LoomOps.td. Shape rules and reference evaluation live in
// RecurrentOps.cpp, the VJPs in RecurrentGradients.cpp; all four ops are
// decomposed by -loom-decompose (compiler/Transforms/DecomposeRecurrent.cpp)
// into an scf.for over time whose body is primitive loom ops.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_RECURRENT_OPS_TD
#define LOOM_RECURRENT_OPS_TD

def Loom_LstmOp : Loom_Op<"lstm", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "One LSTM layer over a batch-first sequence";
  let description = [{
    PyTorch's `nn.LSTM(batch_first=True)` for one layer, one direction:
    `x` [B, T, I], initial states `h0`, `c0` [B, H], `weight_ih` [4H, I],
    `weight_hh` [4H, H], `bias_ih`, `bias_hh` [4H], gates in the order
    i, f, g, o. For t = 0 .. T-1:

    ```
    a = x_t weight_ih^T + bias_ih + h_{t-1} weight_hh^T + bias_hh
    i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)
    ```

    `ys` [B, T, H] holds every h_t and `cs` [B, T, H] every c_t; the final
    states are `ys[:, T-1]` and `cs[:, T-1]`. T must be at least 1.

    ```mlir
    %ys, %cs = loom.lstm %x, %h0, %c0, %wih, %whh, %bih, %bhh
        : tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>,
          tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$x, Loom_FloatTensor:$h0,
                       Loom_FloatTensor:$c0, Loom_FloatTensor:$weight_ih,
                       Loom_FloatTensor:$weight_hh, Loom_FloatTensor:$bias_ih,
                       Loom_FloatTensor:$bias_hh);
  let results = (outs Loom_FloatTensor:$ys, Loom_FloatTensor:$cs);
  let assemblyFormat = "operands attr-dict `:` type(operands)";
}

def Loom_GruOp : Loom_Op<"gru", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "One GRU layer over a batch-first sequence";
  let description = [{
    PyTorch's `nn.GRU(batch_first=True)` for one layer, one direction:
    `x` [B, T, I], initial state `h0` [B, H], `weight_ih` [3H, I],
    `weight_hh` [3H, H], `bias_ih`, `bias_hh` [3H], gates in the order
    r, z, n. For t = 0 .. T-1, with a = x_t weight_ih^T + bias_ih and
    b = h_{t-1} weight_hh^T + bias_hh:

    ```
    r = sigmoid(a_r + b_r), z = sigmoid(a_z + b_z)
    n = tanh(a_n + r * b_n)
    h_t = (1 - z) * n + z * h_{t-1}
    ```

    The two biases are separate because `r` multiplies only the recurrent
    one. `ys` [B, T, H] holds every h_t; the final state is `ys[:, T-1]`.

    ```mlir
    %ys = loom.gru %x, %h0, %wih, %whh, %bih, %bhh
        : tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<24x3xf32>,
          tensor<24x8xf32>, tensor<24xf32>, tensor<24xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$x, Loom_FloatTensor:$h0,
                       Loom_FloatTensor:$weight_ih, Loom_FloatTensor:$weight_hh,
                       Loom_FloatTensor:$bias_ih, Loom_FloatTensor:$bias_hh);
  let results = (outs Loom_FloatTensor:$ys);
  let assemblyFormat = "operands attr-dict `:` type(operands)";
}

def Loom_LstmGradOp : Loom_Op<"lstm_grad", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Backpropagation through time of loom.lstm";
  let description = [{
    The VJP of `loom.lstm`: its seven operands, its results `ys` and `cs`,
    and the gradients `dys`, `dcs` of those results; returns the gradients
    of the seven operands, each of its operand's type (`dbias_ih` and
    `dbias_hh` are equal: both biases enter the same sum). The gates of each
    step are recomputed from h_{t-1} and x_t while walking t = T-1 .. 0:

    ```
    dh = dys_t + dh_next,  dc = dcs_t + dc_next + dh * o * (1 - tanh(c_t)^2)
    da = [dc * g * i(1-i), dc * c_{t-1} * f(1-f), dc * i * (1-g^2),
          dh * tanh(c_t) * o(1-o)]
    dh_next = da weight_hh,  dc_next = dc * f
    ```

    and the weight, bias and input gradients are sums of `da` over steps.
    It has no VJP itself (no second derivatives).

    ```mlir
    %dx, %dh0, %dc0, %dwih, %dwhh, %dbih, %dbhh = loom.lstm_grad %x, %h0,
        %c0, %wih, %whh, %bih, %bhh, %ys, %cs, %dys, %dcs : ...
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$x, Loom_FloatTensor:$h0,
                       Loom_FloatTensor:$c0, Loom_FloatTensor:$weight_ih,
                       Loom_FloatTensor:$weight_hh, Loom_FloatTensor:$bias_ih,
                       Loom_FloatTensor:$bias_hh, Loom_FloatTensor:$ys,
                       Loom_FloatTensor:$cs, Loom_FloatTensor:$dys,
                       Loom_FloatTensor:$dcs);
  let results = (outs Loom_FloatTensor:$dx, Loom_FloatTensor:$dh0,
                      Loom_FloatTensor:$dc0, Loom_FloatTensor:$dweight_ih,
                      Loom_FloatTensor:$dweight_hh, Loom_FloatTensor:$dbias_ih,
                      Loom_FloatTensor:$dbias_hh);
  let assemblyFormat = "operands attr-dict `:` type(operands)";
}

def Loom_GruGradOp : Loom_Op<"gru_grad", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Backpropagation through time of loom.gru";
  let description = [{
    The VJP of `loom.gru`: its six operands, its result `ys` and that
    result's gradient `dys`; returns the gradients of the six operands, each
    of its operand's type. Walking t = T-1 .. 0 with the gates recomputed
    from h_{t-1} and x_t, and dh = dys_t + dh_next:

    ```
    dn = dh * (1 - z) * (1 - n^2)
    dz = dh * (h_{t-1} - n) * z(1-z),  dr = dn * b_n * r(1-r)
    da = [dr, dz, dn],  db = [dr, dz, dn * r]
    dh_next = dh * z + db weight_hh
    ```

    with the weight, bias and input gradients sums of `da` and `db` over
    steps. It has no VJP itself.

    ```mlir
    %dx, %dh0, %dwih, %dwhh, %dbih, %dbhh = loom.gru_grad %x, %h0, %wih,
        %whh, %bih, %bhh, %ys, %dys : ...
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$x, Loom_FloatTensor:$h0,
                       Loom_FloatTensor:$weight_ih, Loom_FloatTensor:$weight_hh,
                       Loom_FloatTensor:$bias_ih, Loom_FloatTensor:$bias_hh,
                       Loom_FloatTensor:$ys, Loom_FloatTensor:$dys);
  let results = (outs Loom_FloatTensor:$dx, Loom_FloatTensor:$dh0,
                      Loom_FloatTensor:$dweight_ih, Loom_FloatTensor:$dweight_hh,
                      Loom_FloatTensor:$dbias_ih, Loom_FloatTensor:$dbias_hh);
  let assemblyFormat = "operands attr-dict `:` type(operands)";
}

#endif // LOOM_RECURRENT_OPS_TD

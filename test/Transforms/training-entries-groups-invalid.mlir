// RUN: loom-opt %s -split-input-file -verify-diagnostics -loom-training-entries
// Every error of several losses with parameter groups (LossGroups.h).

// expected-error@+1 {{@forward has more than one loss result (0 and 1); several losses need names and parameter groups}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"})
    -> (tensor<f32> {loom.loss}, tensor<f32> {loom.loss = "b", loom.loss_params = ["a."]}) {
  return %a, %a : tensor<f32>, tensor<f32>
}

// -----

// expected-error@+1 {{a loss named 'g' was already declared}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"}, %b: tensor<f32> {loom.param = "b.w"})
    -> (tensor<f32> {loom.loss = "g", loom.loss_params = ["a."]},
        tensor<f32> {loom.loss = "g", loom.loss_params = ["b."]}) {
  return %a, %b : tensor<f32>, tensor<f32>
}

// -----

// expected-error@+1 {{loss 'g': no parameter name starts with 'gen.'}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"})
    -> (tensor<f32> {loom.loss = "g", loom.loss_params = ["gen."]}) {
  return %a : tensor<f32>
}

// -----

// expected-error@+1 {{parameter 'a.w' is in the groups of loss 'd' and loss 'g'; each parameter is trained by one loss}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"})
    -> (tensor<f32> {loom.loss = "d", loom.loss_params = ["a"]},
        tensor<f32> {loom.loss = "g", loom.loss_params = ["a."]}) {
  return %a, %a : tensor<f32>, tensor<f32>
}

// -----

// expected-error@+1 {{trainable parameter 'b.w' is in no loss's parameter group (add its prefix to one loss's params, or freeze it)}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"}, %b: tensor<f32> {loom.param = "b.w"})
    -> (tensor<f32> {loom.loss = "g", loom.loss_params = ["a."]}) {
  %s = loom.add %a, %b : tensor<f32>, tensor<f32>
  return %s : tensor<f32>
}

// -----

// expected-error@+1 {{loss 'g' names no parameters; in a model with several losses each lists the prefixes of the parameters it trains}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"})
    -> (tensor<f32> {loom.loss = "g"}) {
  return %a : tensor<f32>
}

// -----

// expected-error@+1 {{loss name 'my loss' must be letters, digits and '_'}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"})
    -> (tensor<f32> {loom.loss = "my loss", loom.loss_params = ["a."]}) {
  return %a : tensor<f32>
}

// -----

// expected-error@+1 {{result 0: loom.loss_params needs a named loss}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w"})
    -> (tensor<f32> {loom.loss, loom.loss_params = ["a."]}) {
  return %a : tensor<f32>
}

// -----

// expected-error@+1 {{loss 'g' has no trainable parameter left to train}}
func.func @forward(%a: tensor<f32> {loom.param = "a.w", loom.trainable = false},
                   %b: tensor<f32> {loom.param = "b.w"})
    -> (tensor<f32> {loom.loss = "g", loom.loss_params = ["a."]},
        tensor<f32> {loom.loss = "h", loom.loss_params = ["b."]}) {
  return %a, %b : tensor<f32>, tensor<f32>
}

// RUN: loom-opt %s -split-input-file -loom-decompose | FileCheck %s
// lstm, gru and their backward ops become the input projection of all
// steps (one matmul), an scf.for over time whose body is primitive loom ops
// on one step's tensors, and (backward) the weight gradients as matmuls over
// all steps. The loop is not unrolled: its body holds the same ops for
// T = 5 and T = 50.

// CHECK-LABEL: func.func @lstm
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x3xf32>, %[[H0:.*]]: tensor<2x4xf32>, %[[C0:.*]]: tensor<2x4xf32>, %[[WIH:.*]]: tensor<16x3xf32>, %[[WHH:.*]]: tensor<16x4xf32>, %[[BIH:.*]]: tensor<16xf32>, %[[BHH:.*]]: tensor<16xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[STEPS:.*]] = arith.constant 5 : index
// CHECK-DAG: %[[B:.*]] = loom.add %[[BIH]], %[[BHH]] : tensor<16xf32>
// CHECK: %[[XF:.*]] = loom.reshape %[[X]] [10, 3]
// CHECK: %[[XW:.*]] = loom.matmul %[[XF]], %[[WIH]] transpose_rhs : tensor<10x3xf32>, tensor<16x3xf32>
// CHECK: %[[XB:.*]] = loom.add %[[XW]], %[[B]]
// CHECK: %[[PROJ:.*]] = loom.reshape %[[XB]] [2, 5, 16]
// CHECK: %[[LOOP:.*]]:4 = scf.for %[[T:.*]] = %[[ZERO]] to %[[STEPS]] step %{{.*}} iter_args(%[[H:.*]] = %[[H0]], %[[C:.*]] = %[[C0]], %[[YS:.*]] = %{{.*}}, %[[CS:.*]] = %{{.*}}) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>)
// CHECK-DAG: %[[XT:.*]] = tensor.extract_slice %[[PROJ]][0, %[[T]], 0] [2, 1, 16] [1, 1, 1] : tensor<2x5x16xf32> to tensor<2x16xf32>
// CHECK-DAG: %[[HW:.*]] = loom.matmul %[[H]], %[[WHH]] transpose_rhs : tensor<2x4xf32>, tensor<16x4xf32>
// CHECK-NOT: loom.matmul
// CHECK: %[[A:.*]] = loom.add %[[XT]], %[[HW]] : tensor<2x16xf32>, tensor<2x16xf32>
// CHECK: %[[AI:.*]] = loom.slice %[[A]] start [0, 0] limit [2, 4]
// CHECK: %[[I:.*]] = loom.sigmoid %[[AI]]
// CHECK: %[[AF:.*]] = loom.slice %[[A]] start [0, 4] limit [2, 8]
// CHECK: %[[F:.*]] = loom.sigmoid %[[AF]]
// CHECK: %[[AG:.*]] = loom.slice %[[A]] start [0, 8] limit [2, 12]
// CHECK: %[[G:.*]] = loom.tanh %[[AG]]
// CHECK: %[[AO:.*]] = loom.slice %[[A]] start [0, 12] limit [2, 16]
// CHECK: %[[O:.*]] = loom.sigmoid %[[AO]]
// CHECK-DAG: %[[FC:.*]] = loom.mul %[[F]], %[[C]]
// CHECK-DAG: %[[IG:.*]] = loom.mul %[[I]], %[[G]]
// CHECK: %[[CN:.*]] = loom.add %[[FC]], %[[IG]]
// CHECK: %[[TC:.*]] = loom.tanh %[[CN]]
// CHECK: %[[HN:.*]] = loom.mul %[[O]], %[[TC]]
// CHECK-NOT: loom.matmul
// CHECK: %[[YS2:.*]] = tensor.insert_slice %[[HN]] into %[[YS]][0, %[[T]], 0] [2, 1, 4] [1, 1, 1] : tensor<2x4xf32> into tensor<2x5x4xf32>
// CHECK: %[[CS2:.*]] = tensor.insert_slice %[[CN]] into %[[CS]][0, %[[T]], 0] [2, 1, 4] [1, 1, 1]
// CHECK: scf.yield %[[HN]], %[[CN]], %[[YS2]], %[[CS2]]
// CHECK: return %[[LOOP]]#2, %[[LOOP]]#3
// CHECK-NOT: loom.lstm
func.func @lstm(%x: tensor<2x5x3xf32>, %h0: tensor<2x4xf32>, %c0: tensor<2x4xf32>, %wih: tensor<16x3xf32>, %whh: tensor<16x4xf32>, %bih: tensor<16xf32>, %bhh: tensor<16xf32>) -> (tensor<2x5x4xf32>, tensor<2x5x4xf32>) {
  %ys, %cs = loom.lstm %x, %h0, %c0, %wih, %whh, %bih, %bhh : tensor<2x5x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>
  return %ys, %cs : tensor<2x5x4xf32>, tensor<2x5x4xf32>
}

// -----

// Ten times the steps: the same single loop with one recurrent matmul.
// CHECK-LABEL: func.func @lstm_long
// CHECK-DAG: %[[STEPS:.*]] = arith.constant 50 : index
// CHECK-COUNT-1: loom.matmul {{.*}} : tensor<100x3xf32>, tensor<16x3xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[STEPS]]
// CHECK-COUNT-1: loom.matmul {{.*}} transpose_rhs : tensor<2x4xf32>, tensor<16x4xf32>
// CHECK-NOT: loom.matmul
// CHECK: scf.yield
// CHECK-NOT: scf.for
// CHECK-NOT: loom.matmul
// CHECK: return
func.func @lstm_long(%x: tensor<2x50x3xf32>, %h0: tensor<2x4xf32>, %wih: tensor<16x3xf32>, %whh: tensor<16x4xf32>, %b: tensor<16xf32>) -> tensor<2x50x4xf32> {
  %ys, %cs = loom.lstm %x, %h0, %h0, %wih, %whh, %b, %b : tensor<2x50x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>
  return %ys : tensor<2x50x4xf32>
}

// -----

// Backward: h_{t-1} and c_{t-1} for every step are the sequences shifted
// by one behind the initial states; the loop walks t = 4 - k, recomputes
// the gates (one matmul), and carries dh and dc back (one more matmul);
// the weight gradients are matmuls over all 2 * 5 rows after the loop.
// CHECK-LABEL: func.func @lstm_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x3xf32>, %[[H0:.*]]: tensor<2x4xf32>, %[[C0:.*]]: tensor<2x4xf32>, %[[WIH:.*]]: tensor<16x3xf32>, %[[WHH:.*]]: tensor<16x4xf32>, %[[B:.*]]: tensor<16xf32>, %[[YS:.*]]: tensor<2x5x4xf32>, %[[CS:.*]]: tensor<2x5x4xf32>, %[[DYS:.*]]: tensor<2x5x4xf32>, %[[DCS:.*]]: tensor<2x5x4xf32>)
// CHECK-DAG: %[[LAST:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[STEPS:.*]] = arith.constant 5 : index
// CHECK-DAG: %[[ZEROS:.*]] = loom.constant dense<0.000000e+00> : tensor<2x4xf32>
// CHECK: %[[PROJ:.*]] = loom.reshape %{{.*}} [2, 5, 16]
// CHECK: %[[H0R:.*]] = loom.reshape %[[H0]] [2, 1, 4]
// CHECK: %[[YSH:.*]] = loom.slice %[[YS]] start [0, 0, 0] limit [2, 4, 4]
// CHECK: %[[HPREV:.*]] = loom.concat %[[H0R]], %[[YSH]] axis 1
// CHECK: %[[C0R:.*]] = loom.reshape %[[C0]] [2, 1, 4]
// CHECK: %[[CSH:.*]] = loom.slice %[[CS]] start [0, 0, 0] limit [2, 4, 4]
// CHECK: %[[CPREV:.*]] = loom.concat %[[C0R]], %[[CSH]] axis 1
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[K:.*]] = %{{.*}} to %[[STEPS]] step %{{.*}} iter_args(%[[DH:.*]] = %[[ZEROS]], %[[DC:.*]] = %[[ZEROS]], %[[DA:.*]] = %{{.*}}) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x5x16xf32>)
// CHECK: %[[T:.*]] = arith.subi %[[LAST]], %[[K]] : index
// CHECK-DAG: %[[HP:.*]] = tensor.extract_slice %[[HPREV]][0, %[[T]], 0] [2, 1, 4]
// CHECK-DAG: %[[CP:.*]] = tensor.extract_slice %[[CPREV]][0, %[[T]], 0] [2, 1, 4]
// CHECK-DAG: loom.matmul %[[HP]], %[[WHH]] transpose_rhs : tensor<2x4xf32>, tensor<16x4xf32>
// CHECK-DAG: tensor.extract_slice %[[PROJ]][0, %[[T]], 0] [2, 1, 16]
// CHECK-DAG: tensor.extract_slice %[[CS]][0, %[[T]], 0] [2, 1, 4]
// CHECK-DAG: tensor.extract_slice %[[DYS]][0, %[[T]], 0] [2, 1, 4]
// CHECK-DAG: tensor.extract_slice %[[DCS]][0, %[[T]], 0] [2, 1, 4]
// CHECK: %[[DGATES:.*]] = loom.concat %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} axis 1 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
// CHECK: %[[DHN:.*]] = loom.matmul %[[DGATES]], %[[WHH]] : tensor<2x16xf32>, tensor<16x4xf32>
// CHECK: %[[DCN:.*]] = loom.mul
// CHECK: %[[DA2:.*]] = tensor.insert_slice %[[DGATES]] into %[[DA]][0, %[[T]], 0] [2, 1, 16]
// CHECK: scf.yield %[[DHN]], %[[DCN]], %[[DA2]]
// CHECK: %[[DAF:.*]] = loom.reshape %[[LOOP]]#2 [10, 16]
// CHECK: %[[DXF:.*]] = loom.matmul %[[DAF]], %[[WIH]] : tensor<10x16xf32>, tensor<16x3xf32>
// CHECK: %[[DX:.*]] = loom.reshape %[[DXF]] [2, 5, 3]
// CHECK: %[[XF:.*]] = loom.reshape %[[X]] [10, 3]
// CHECK: %[[DWIH:.*]] = loom.matmul %[[DAF]], %[[XF]] transpose_lhs : tensor<10x16xf32>, tensor<10x3xf32>
// CHECK: %[[HPF:.*]] = loom.reshape %[[HPREV]] [10, 4]
// CHECK: %[[DWHH:.*]] = loom.matmul %[[DAF]], %[[HPF]] transpose_lhs : tensor<10x16xf32>, tensor<10x4xf32>
// CHECK: %[[DB:.*]] = loom.reduce_sum %[[DAF]] axes [0]
// CHECK: return %[[DX]], %[[LOOP]]#0, %[[LOOP]]#1, %[[DWIH]], %[[DWHH]], %[[DB]], %[[DB]]
func.func @lstm_grad(%x: tensor<2x5x3xf32>, %h0: tensor<2x4xf32>, %c0: tensor<2x4xf32>, %wih: tensor<16x3xf32>, %whh: tensor<16x4xf32>, %b: tensor<16xf32>, %ys: tensor<2x5x4xf32>, %cs: tensor<2x5x4xf32>, %dys: tensor<2x5x4xf32>, %dcs: tensor<2x5x4xf32>) -> (tensor<2x5x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>) {
  %dx, %dh0, %dc0, %dwih, %dwhh, %dbih, %dbhh = loom.lstm_grad %x, %h0, %c0, %wih, %whh, %b, %b, %ys, %cs, %dys, %dcs : tensor<2x5x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>
  return %dx, %dh0, %dc0, %dwih, %dwhh, %dbih, %dbhh : tensor<2x5x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

// GRU: only bias_ih joins the projection; bias_hh is added to the
// recurrent product inside the loop, where r scales its n part.
// CHECK-LABEL: func.func @gru
// CHECK-SAME: (%[[X:.*]]: tensor<2x50x3xf32>, %[[H0:.*]]: tensor<2x4xf32>, %[[WIH:.*]]: tensor<12x3xf32>, %[[WHH:.*]]: tensor<12x4xf32>, %[[BIH:.*]]: tensor<12xf32>, %[[BHH:.*]]: tensor<12xf32>)
// CHECK-DAG: %[[STEPS:.*]] = arith.constant 50 : index
// CHECK: %[[XW:.*]] = loom.matmul %{{.*}}, %[[WIH]] transpose_rhs : tensor<100x3xf32>, tensor<12x3xf32>
// CHECK: loom.add %[[XW]], %[[BIH]]
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %{{.*}} to %[[STEPS]] step %{{.*}} iter_args(%[[H:.*]] = %[[H0]], %[[YS:.*]] = %{{.*}})
// CHECK-DAG: %[[XT:.*]] = tensor.extract_slice %{{.*}}[0, %[[T]], 0] [2, 1, 12]
// CHECK-DAG: %[[HW:.*]] = loom.matmul %[[H]], %[[WHH]] transpose_rhs : tensor<2x4xf32>, tensor<12x4xf32>
// CHECK-NOT: loom.matmul
// CHECK: %[[HB:.*]] = loom.add %[[HW]], %[[BHH]]
// CHECK-DAG: %[[BN:.*]] = loom.slice %[[HB]] start [0, 8] limit [2, 12]
// CHECK-DAG: %[[R:.*]] = loom.sigmoid
// CHECK-DAG: %[[RBN:.*]] = loom.mul %[[R]], %[[BN]]
// CHECK-DAG: %[[XN:.*]] = loom.slice %[[XT]] start [0, 8] limit [2, 12]
// CHECK: %[[NA:.*]] = loom.add %[[XN]], %[[RBN]]
// CHECK: %[[N:.*]] = loom.tanh %[[NA]]
// CHECK-NOT: loom.matmul
// CHECK: %[[HN:.*]] = loom.add
// CHECK: %[[YS2:.*]] = tensor.insert_slice %[[HN]] into %[[YS]][0, %[[T]], 0] [2, 1, 4]
// CHECK: scf.yield %[[HN]], %[[YS2]]
// CHECK: return %[[LOOP]]#1
func.func @gru(%x: tensor<2x50x3xf32>, %h0: tensor<2x4xf32>, %wih: tensor<12x3xf32>, %whh: tensor<12x4xf32>, %bih: tensor<12xf32>, %bhh: tensor<12xf32>) -> tensor<2x50x4xf32> {
  %ys = loom.gru %x, %h0, %wih, %whh, %bih, %bhh : tensor<2x50x3xf32>, tensor<2x4xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>
  return %ys : tensor<2x50x4xf32>
}

// -----

// One step: h_{t-1} is h0 alone (no slice of an empty prefix); the loop
// still runs (canonicalization folds a one-trip loop later). Two gate
// gradients are collected: the input side [dr, dz, dn] and the recurrent
// side [dr, dz, dn * r], whose sums are the two bias gradients.
// CHECK-LABEL: func.func @gru_grad_one_step
// CHECK-SAME: (%[[X:.*]]: tensor<3x1x2xf32>, %[[H0:.*]]: tensor<3x4xf32>
// CHECK: %[[HPREV:.*]] = loom.reshape %[[H0]] [3, 1, 4]
// CHECK-NOT: loom.concat {{.*}} axis 1 : tensor<3x1x4xf32>
// CHECK: %[[LOOP:.*]]:3 = scf.for
// CHECK: %[[DA:.*]] = loom.concat %[[DR:.*]], %[[DZ:.*]], %[[DN:.*]] axis 1
// CHECK: %[[DNR:.*]] = loom.mul %[[DN]], %{{.*}}
// CHECK: %[[DB:.*]] = loom.concat %[[DR]], %[[DZ]], %[[DNR]] axis 1
// CHECK: scf.yield
// CHECK: %[[DAF:.*]] = loom.reshape %[[LOOP]]#1 [3, 12]
// CHECK: %[[DBF:.*]] = loom.reshape %[[LOOP]]#2 [3, 12]
// CHECK: loom.matmul %[[DBF]], %{{.*}} transpose_lhs : tensor<3x12xf32>, tensor<3x4xf32>
// CHECK: %[[DBIH:.*]] = loom.reduce_sum %[[DAF]] axes [0]
// CHECK: %[[DBHH:.*]] = loom.reduce_sum %[[DBF]] axes [0]
// CHECK: return {{.*}}, %[[LOOP]]#0, {{.*}}, %[[DBIH]], %[[DBHH]]
func.func @gru_grad_one_step(%x: tensor<3x1x2xf32>, %h0: tensor<3x4xf32>, %wih: tensor<12x2xf32>, %whh: tensor<12x4xf32>, %b: tensor<12xf32>, %ys: tensor<3x1x4xf32>, %dys: tensor<3x1x4xf32>) -> (tensor<3x1x2xf32>, tensor<3x4xf32>, tensor<12x2xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>) {
  %dx, %dh0, %dwih, %dwhh, %dbih, %dbhh = loom.gru_grad %x, %h0, %wih, %whh, %b, %b, %ys, %dys : tensor<3x1x2xf32>, tensor<3x4xf32>, tensor<12x2xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>, tensor<3x1x4xf32>, tensor<3x1x4xf32>
  return %dx, %dh0, %dwih, %dwhh, %dbih, %dbhh : tensor<3x1x2xf32>, tensor<3x4xf32>, tensor<12x2xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>
}

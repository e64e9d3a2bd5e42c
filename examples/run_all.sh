#!/usr/bin/env bash
# Runs every example the way its README does (make demo).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
loomc="$build/bin/loomc"
mkdir -p "${TMPDIR:-/tmp}/loom-demo"
run() { echo; echo "== $1"; shift; echo "\$ loomc $*"; "$loomc" "$@"; }
run "house_price: one ReLU neuron, price = relu(0.5 * area - 50)" \
  run "$here/house_price/model.cpp" --model house_price --input area="$here/house_price/areas.csv"
run "loan_approval: logistic regression with fixed weights" \
  run "$here/loan_approval/model.cpp" --input applicant="$here/loan_approval/applicants.csv"
run "xor: a 2-2-1 MLP with hand-set weights" \
  run "$here/xor/model.cpp" --model xor_mlp --input x="$here/xor/cases.csv"
run "karate_gcn: a two-layer GCN labels 34 club members from 2 labels" \
  train "$here/karate_gcn/model.cpp" --data csv="$here/karate_gcn/nodes.csv",label=club \
  --val-fraction 0 --test-fraction 0 --batch 34 --epochs 200 --optimizer adam --lr 0.01
if [ -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  run "fashion_mlp: the main job, a 784-256-128-10 MLP trained on Fashion-MNIST (5 epochs, Adam)" \
    train "$here/fashion_mlp/model.cpp" --data fashion-mnist --val-fraction 0.1 \
    --epochs 5 --batch 64 --optimizer adam --lr 0.001 --schedule cosine \
    --checkpoint "${TMPDIR:-/tmp}/loom-demo/fashion_mlp.safetensors"
else
  echo "fashion_mlp skipped: Debian's dataset-fashion-mnist is not installed (make setup installs it)"
fi

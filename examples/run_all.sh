#!/usr/bin/env bash
# Runs every example the way its README does (make demo).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
loomc="$build/bin/loomc"
run() { echo; echo "== $1"; shift; echo "\$ loomc $*"; "$loomc" "$@"; }
run "house_price: one ReLU neuron, price = relu(0.5 * area - 50)" \
  run "$here/house_price/model.cpp" --model house_price --input area="$here/house_price/areas.csv"
run "loan_approval: logistic regression with fixed weights" \
  run "$here/loan_approval/model.cpp" --input applicant="$here/loan_approval/applicants.csv"
run "xor: a 2-2-1 MLP with hand-set weights" \
  run "$here/xor/model.cpp" --model xor_mlp --input x="$here/xor/cases.csv"

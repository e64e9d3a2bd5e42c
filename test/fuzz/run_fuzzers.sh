#!/usr/bin/env bash
# Builds the libFuzzer targets of the runtime's file loaders with clang-22
# (-fsanitize=fuzzer,address,undefined) and runs each for SECONDS, starting
# from the seed corpus (test/fuzz/corpus/<target>), after replaying every
# saved regression input (test/fuzz/regressions/<target>-*): a crash found
# once stays a test. `make fuzz` runs them longer; `make test` runs a short
# smoke run through ctest.
#
#   run_fuzzers.sh OUT_DIR SECONDS
set -euo pipefail
out=${1:?usage: run_fuzzers.sh OUT_DIR SECONDS}
seconds=${2:?usage: run_fuzzers.sh OUT_DIR SECONDS}
src=$(cd "$(dirname "$0")/../.." && pwd)
clang=/usr/lib/llvm-22/bin/clang++
mkdir -p "$out"
runtime=$(ls "$src"/runtime/core/*.cpp "$src"/runtime/cpu/*.cpp "$src"/runtime/data/Preprocess.cpp "$src"/runtime/data/DatasetPrep.cpp "$src"/runtime/data/DatasetTables.cpp)
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -I"$src/runtime/include"
       -I"$src/runtime/core" -I"$src/runtime/cpu" -I"$src/runtime/data" -pthread)
# The runtime's sources once, instrumented; each fuzzer links them.
mkdir -p "$out/obj"
objects=()
for f in $runtime; do
  o="$out/obj/$(basename "$f" .cpp).o"
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$src/runtime" -name '*.h' -newer "$o" | head -n 1)" ]; then
    "$clang" "${flags[@]}" -c "$f" -o "$o"
  fi
  objects+=("$o")
done
for target in artifact safetensors; do
  bin="$out/${target}_fuzzer"
  "$clang" "${flags[@]}" -fsanitize=fuzzer "$src/test/fuzz/${target}_fuzzer.cpp" \
    "${objects[@]}" -o "$bin"
  regressions=$(ls "$src"/test/fuzz/regressions/"$target"-* 2>/dev/null || true)
  if [ -n "$regressions" ]; then
    echo "replaying $(echo "$regressions" | wc -w) regression inputs of $target"
    "$bin" $regressions
  fi
  corpus="$out/corpus-$target"
  mkdir -p "$corpus"
  cp -n "$src"/test/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  echo "fuzzing $target for $seconds s"
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crash-$target-" -print_final_stats=1 "$corpus" 2>&1 |
    tail -n 12
done

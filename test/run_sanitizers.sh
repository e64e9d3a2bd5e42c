#!/usr/bin/env bash
# The runtime under sanitizers, in runtime-only builds (no compiler needed):
# its unit tests with AddressSanitizer + UndefinedBehaviorSanitizer, and
# the threading tests (the C API's promises, the GEMM's pool, the parallel
# loop) with ThreadSanitizer. `make sanitize` runs every runtime unit test;
# `make test` runs a subset (the file loaders, the C API, threads).
#
#   run_sanitizers.sh OUT_DIR all|subset
set -euo pipefail
out=${1:?usage: run_sanitizers.sh OUT_DIR all|subset}
mode=${2:?usage: run_sanitizers.sh OUT_DIR all|subset}
src=$(cd "$(dirname "$0")/.." && pwd)
subset='Artifact*:ObjectLoader*:Checkpoint*:CApi*:Preprocess*:Report*:Npy*:Csv*:DatasetIdx*:Session*'
threads='ThreadSafety*:Parallel*:Gemm*'
build() { # dir, sanitizer flags
  local flags="$2 -fno-omit-frame-pointer -g"
  cmake -S "$src" -B "$1" -G Ninja -DLOOM_ENABLE_COMPILER=OFF \
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS=$flags" "-DCMAKE_CXX_FLAGS=$flags" \
    "-DCMAKE_EXE_LINKER_FLAGS=$2" > "$1.configure.log"
  cmake --build "$1" --target loomrt-unittests > "$1.build.log"
}
mkdir -p "$out"
build "$out/asan" "-fsanitize=address,undefined -fno-sanitize-recover=undefined"
filter=$([ "$mode" = all ] && echo '*' || echo "$subset")
echo "AddressSanitizer + UBSan: loomrt-unittests --gtest_filter=$filter"
ASAN_OPTIONS=detect_leaks=1 "$out/asan/bin/loomrt-unittests" --gtest_filter="$filter" |
  tail -n 3
build "$out/tsan" "-fsanitize=thread"
echo "ThreadSanitizer: loomrt-unittests --gtest_filter=$threads"
TSAN_OPTIONS=halt_on_error=1 "$out/tsan/bin/loomrt-unittests" --gtest_filter="$threads" |
  tail -n 3

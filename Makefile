# Loom's front door: `make demo` and `make test` on a fresh Debian 12 machine.
#
# setup installs the Debian packages (idempotent); build configures CMake with
# Ninja, ccache, lld and the shared libMLIR into build/; test runs every tier
# (lit, unit, end-to-end) through ctest.
LLVM_VERSION := 22
BUILD ?= build
JOBS ?= $(shell nproc)

PACKAGES := g++ cmake ninja-build ccache python3 zlib1g-dev pkg-config \
  llvm-$(LLVM_VERSION)-dev llvm-$(LLVM_VERSION)-tools libmlir-$(LLVM_VERSION)-dev \
  mlir-$(LLVM_VERSION)-tools clang-$(LLVM_VERSION) lld-$(LLVM_VERSION) \
  libclang-rt-$(LLVM_VERSION)-dev \
  libopenblas-dev libgtest-dev libbenchmark-dev libomp5-14 \
  dataset-fashion-mnist python3-torch python3-numpy

.PHONY: setup build demo test bench fuzz sanitize clean
setup:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "setup: all packages present"; exit 0; fi; \
	echo "setup: installing$$(echo $$missing | sed 's/^/ /')"; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "setup: needs root to install packages (run 'sudo make setup')" >&2; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -q && apt-get install -y -q --no-install-recommends $$missing

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@./examples/run_all.sh $(BUILD)

# lit first, verbosely, so its own summary is visible; then every other
# tier. Both are ctest runs, and the last line is ctest's summary.
test: build
	cd $(BUILD) && ctest -V -R '^lit$$'
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -E '^lit$$'

# libFuzzer on the runtime's file loaders (.loom artifacts, safetensors),
# FUZZ_SECONDS per target; a crash leaves build/fuzz/crash-*: copy it to
# test/fuzz/regressions/<target>-NAME and it is replayed by every make test.
FUZZ_SECONDS ?= 300
fuzz: build
	test/fuzz/run_fuzzers.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

# Every runtime unit test under AddressSanitizer + UBSan, and the threading
# tests under ThreadSanitizer (runtime-only builds in build/sanitize).
sanitize: setup
	test/run_sanitizers.sh $(BUILD)/sanitize all

# Side by side with PyTorch and OpenBLAS; writes docs/performance.md.
bench: build
	/usr/bin/python3 bench/run_bench.py $(BUILD)/bin/loomc

clean:
	rm -rf $(BUILD)

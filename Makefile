# reel: the README's two commands are `make demo` and `make check`; both install what they need
# (Debian packages via scripts/deps.sh, media via scripts/fetch-media.sh / gen-media.sh).
#
#   make            build (default): configure build/ if needed, then ninja
#   make deps       install missing Debian packages (root) or print the apt-get line
#   make check      all tests: build/ and build-asan/ (ASan+UBSan), summary `N passed, N failed`
#   make quick      the same without the ASan build
#   make demo       fetch real media and run `reel demo` (writes demo/)
#   make bench      benchmarks (bench/run.sh)
#   make media      fetch real media and generate synthetic media
#   make fuzz       libFuzzer on the brief, .cube, .cdl, EDL, Fountain and NLE cut parsers, FUZZ_SECONDS each (default 60)
#   make format     clang-format -i over src/ tests/ include/ bench/
#   make clean      remove build dirs; `make distclean` also removes .cache/ and demo/

SHELL := /bin/bash
BUILD ?= build
MESON_OPTS ?= -Dbuildtype=debugoptimized

.DEFAULT_GOAL := build
.PHONY: build deps check quick demo bench media format clean distclean fuzz

deps:
	@bash scripts/deps.sh

build: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then meson setup $(BUILD) $(MESON_OPTS); fi
	ninja -C $(BUILD)

check:
	bash scripts/check.sh

quick:
	bash scripts/check.sh --quick

media: deps
	bash scripts/fetch-media.sh
	bash scripts/gen-media.sh

demo: build
	bash scripts/fetch-media.sh
	./$(BUILD)/reel demo

bench: build
	@if [ ! -x bench/run.sh ] && [ ! -f bench/run.sh ]; then echo "bench/run.sh does not exist yet" >&2; exit 1; fi
	bash bench/run.sh

# libFuzzer on the brief, .cube, .cdl, EDL, Fountain and OTIO/FCP7 XML/FCPXML parsers, FUZZ_SECONDS each (clang + ASan/UBSan); seeds in
# tests/fuzz/corpus.
FUZZ_SECONDS ?= 60
fuzz: deps
	@command -v clang >/dev/null && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
		|| { echo "fuzz needs: apt-get install -y clang libclang-rt-14-dev" >&2; exit 1; }
	@if [ ! -f build-fuzz/build.ninja ]; then CC=clang meson setup build-fuzz -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized; fi
	ninja -C build-fuzz tests/fuzz_brief tests/fuzz_cube tests/fuzz_cdl tests/fuzz_edl tests/fuzz_fountain tests/fuzz_nle
	mkdir -p .cache/fuzz/brief .cache/fuzz/cube .cache/fuzz/cdl .cache/fuzz/edl .cache/fuzz/fountain .cache/fuzz/nle
	./build-fuzz/tests/fuzz_brief -max_total_time=$(FUZZ_SECONDS) .cache/fuzz/brief tests/fuzz/corpus/brief
	./build-fuzz/tests/fuzz_cube -max_total_time=$(FUZZ_SECONDS) .cache/fuzz/cube tests/fuzz/corpus/cube
	./build-fuzz/tests/fuzz_cdl -max_total_time=$(FUZZ_SECONDS) .cache/fuzz/cdl tests/fuzz/corpus/cdl
	./build-fuzz/tests/fuzz_edl -max_total_time=$(FUZZ_SECONDS) .cache/fuzz/edl tests/fuzz/corpus/edl
	./build-fuzz/tests/fuzz_fountain -max_total_time=$(FUZZ_SECONDS) .cache/fuzz/fountain tests/fuzz/corpus/fountain
	./build-fuzz/tests/fuzz_nle -max_total_time=$(FUZZ_SECONDS) .cache/fuzz/nle tests/fuzz/corpus/nle

format:
	@command -v clang-format >/dev/null || { echo "format needs: apt-get install -y clang-format" >&2; exit 1; }
	find src tests include bench \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | xargs -0 -r clang-format -i

clean:
	rm -rf build build-asan build-fuzz build-bench

distclean: clean
	rm -rf .cache demo

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
#   make format     clang-format -i over src/ tests/ include/ bench/
#   make clean      remove build dirs; `make distclean` also removes .cache/ and demo/

SHELL := /bin/bash
BUILD ?= build
MESON_OPTS ?= -Dbuildtype=debugoptimized

.DEFAULT_GOAL := build
.PHONY: build deps check quick demo bench media format clean distclean

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

format:
	@command -v clang-format >/dev/null || { echo "format needs: apt-get install -y clang-format" >&2; exit 1; }
	find src tests include bench \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | xargs -0 -r clang-format -i

clean:
	rm -rf build build-asan

distclean: clean
	rm -rf .cache demo

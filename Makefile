# The README's two commands. Each does all of its own set-up on a fresh
# Debian 12 machine: install packages, configure, build, then test or demo.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all bootstrap configure build test demo bench package clean

all: build

bootstrap:
	bash scripts/bootstrap

configure: bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j$(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

demo: build
	bash scripts/demo $(BUILD)

# A Debian package of axon (build/axon_<version>_<arch>.deb; docs/install.md).
package: build
	cd $(BUILD) && cpack -G DEB

bench: build
	bash bench/run_all.sh $(BUILD)

clean:
	rm -rf $(BUILD)

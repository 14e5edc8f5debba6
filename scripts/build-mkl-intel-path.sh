#!/usr/bin/env bash
# Rebuilds the one-function library that lets MKL use its AVX-512 kernels on AMD processors
# (src/main/native/mkl_intel_path.c; see dev.elman.engine.MklKernels). The result is committed,
# so building Elman needs no C compiler; run this only when the source changes. Needs gcc
# (apt-get install -y gcc). No libc, no build id, no compiler tag: the same bytes from the
# same source with any gcc that generates the same code.
set -euo pipefail
cd "$(dirname "$0")/.."
# JNA's folder for the platform: it unpacks the library from the classpath itself.
out=src/main/resources/linux-x86-64/libelman-mkl-intel-path.so
mkdir -p "$(dirname "$out")"
gcc -O2 -fPIC -shared -nostdlib -fno-ident -Wl,--build-id=none -Wl,-soname,libelman-mkl-intel-path.so -s \
	-o "$out" src/main/native/mkl_intel_path.c
sha256sum "$out"

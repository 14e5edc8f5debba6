#!/usr/bin/env bash
# Rebuilds the one-function library that lets MKL use its AVX-512 kernels on AMD processors
# (src/main/native/mkl_intel_path.c; see dev.elman.engine.MklKernels). The result is committed,
# so building Elman needs no C compiler; run this only when the source changes. Needs gcc
# (apt-get install -y gcc). No libc, no build id: the same source gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/main/resources/native/linux-x86_64/libelman-mkl-intel-path.so
mkdir -p "$(dirname "$out")"
gcc -O2 -fPIC -shared -nostdlib -Wl,--build-id=none -Wl,-soname,libelman-mkl-intel-path.so -s \
	-o "$out" src/main/native/mkl_intel_path.c
sha256sum "$out"

/*
 * Elman's MKL dispatch library: one function, loaded globally before PyTorch.
 *
 * MKL (the matrix library inside PyTorch's CPU build) asks this function whether the
 * processor is Intel's before it chooses its kernels by the processor's features. On an AMD
 * processor its own answer is no, and MKL then takes generic AVX2 kernels even where the
 * processor has AVX-512. PyTorch's library calls the function through its dynamic symbol
 * table, so this definition, loaded first, answers in its place and MKL chooses by features
 * (CPUID) as it does on Intel's processors. See dev.elman.engine.MklKernels.
 *
 * Built by scripts/build-mkl-intel-path.sh; the library is committed under
 * src/main/resources/linux-x86-64/ (where JNA looks) so that building Elman needs no C
 * compiler.
 */
int mkl_serv_intel_cpu_true(void)
{
	return 1;
}

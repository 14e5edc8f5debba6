package dev.elman.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MklKernelsTests {

	private static final String EPYC = """
			processor	: 0
			vendor_id	: AuthenticAMD
			cpu family	: 26
			model name	: AMD EPYC
			flags		: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl
			""";

	private static final String NO_MAPS = "7f00 r-xp libc.so.6\n";

	@Test
	void anAmdProcessorWithAvx512GetsMklsAvx512Kernels() {
		MklKernels.Choice choice = MklKernels.decide(true, "Linux", "amd64", EPYC, NO_MAPS);
		assertThat(choice.avx512OnAmd()).isTrue();
		assertThat(choice.reason()).contains("AVX-512").contains("elman.mkl-avx512-on-amd");
	}

	@Test
	void intelsProcessorsAndAmdsWithoutAvx512KeepMklsOwnChoice() {
		String intel = EPYC.replace("AuthenticAMD", "GenuineIntel");
		assertThat(MklKernels.decide(true, "Linux", "amd64", intel, NO_MAPS))
			.isEqualTo(new MklKernels.Choice(false, "MKL's own choice: the processor is GenuineIntel"));
		String zen3 = EPYC.replace(" avx512f avx512dq avx512bw avx512vl", "");
		assertThat(MklKernels.decide(true, "Linux", "amd64", zen3, NO_MAPS).reason()).contains("no AVX-512");
		// A flag that only starts with the name is not the flag.
		String lookalike = EPYC.replace(" avx512f ", " avx512fx ");
		assertThat(MklKernels.decide(true, "Linux", "amd64", lookalike, NO_MAPS).avx512OnAmd()).isFalse();
		assertThat(MklKernels.decide(true, "Linux", "amd64", "", NO_MAPS).reason()).contains("unknown");
	}

	@Test
	void theSettingOtherSystemsAndALoadedPyTorchKeepMklsOwnChoice() {
		assertThat(MklKernels.decide(false, "Linux", "amd64", EPYC, NO_MAPS).reason())
			.contains("elman.mkl-avx512-on-amd is false");
		assertThat(MklKernels.decide(true, "Mac OS X", "aarch64", EPYC, NO_MAPS).avx512OnAmd()).isFalse();
		assertThat(MklKernels.decide(true, "Linux", "aarch64", EPYC, NO_MAPS).avx512OnAmd()).isFalse();
		// MKL asks once; after PyTorch has loaded, the answer can no longer be given.
		assertThat(MklKernels.decide(true, "Linux", "amd64", EPYC, NO_MAPS + "7f01 r-xp /x/libtorch_cpu.so\n").reason())
			.contains("PyTorch was loaded before");
	}

	@Test
	void theCommittedLibraryAnswersThatTheProcessorIsIntels(@TempDir Path folder) throws IOException {
		Path library = folder.resolve(MklKernels.LIBRARY);
		try (InputStream in = MklKernels.class.getResourceAsStream("/native/linux-x86_64/" + MklKernels.LIBRARY)) {
			assertThat(in).as("the library is packaged").isNotNull();
			Files.write(library, in.readAllBytes());
		}
		NativeLibrary loaded = NativeLibrary.getInstance(library.toString());
		try {
			assertThat(loaded.getFunction("mkl_serv_intel_cpu_true").invokeInt(new Object[0])).isEqualTo(1);
		}
		finally {
			loaded.close();
		}
	}

}

package dev.elman.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MklKernelsTests {

	private static final String EPYC = """
			processor	: 0
			vendor_id	: AuthenticAMD
			cpu family	: 26
			model name	: AMD EPYC
			flags		: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl
			""";

	private static final String MAPS_WITHOUT_PYTORCH = "7f00 r-xp libc.so.6\n";

	@Test
	void anAmdProcessorWithAvx512GetsMklsAvx512Kernels() {
		MklKernels.Choice choice = MklKernels.decide(true, "Linux", "amd64", EPYC, MAPS_WITHOUT_PYTORCH);
		assertThat(choice.loadsLibrary()).isTrue();
		assertThat(choice.reason()).contains("AVX-512").contains("elman.mkl-avx512-on-amd");
	}

	@Test
	void intelsProcessorsAndAmdsWithoutAvx512KeepMklsOwnChoice() {
		String intel = EPYC.replace("AuthenticAMD", "GenuineIntel");
		assertThat(MklKernels.decide(true, "Linux", "amd64", intel, MAPS_WITHOUT_PYTORCH))
			.isEqualTo(new MklKernels.Choice(false, "MKL's own choice: the processor is GenuineIntel"));
		String zen3 = EPYC.replace(" avx512f avx512dq avx512bw avx512vl", "");
		assertThat(MklKernels.decide(true, "Linux", "amd64", zen3, MAPS_WITHOUT_PYTORCH).reason())
			.contains("no AVX-512");
		// A flag that only starts with the name is not the flag.
		String lookalike = EPYC.replace(" avx512f ", " avx512fx ");
		assertThat(MklKernels.decide(true, "Linux", "amd64", lookalike, MAPS_WITHOUT_PYTORCH).loadsLibrary()).isFalse();
		assertThat(MklKernels.decide(true, "Linux", "amd64", "", MAPS_WITHOUT_PYTORCH).reason()).contains("unknown");
	}

	@Test
	void theSettingOtherSystemsAndALoadedPyTorchKeepMklsOwnChoice() {
		assertThat(MklKernels.decide(false, "Linux", "amd64", EPYC, MAPS_WITHOUT_PYTORCH).reason())
			.contains("elman.mkl-avx512-on-amd is false");
		assertThat(MklKernels.decide(true, "Mac OS X", "aarch64", EPYC, MAPS_WITHOUT_PYTORCH).loadsLibrary()).isFalse();
		assertThat(MklKernels.decide(true, "Linux", "aarch64", EPYC, MAPS_WITHOUT_PYTORCH).loadsLibrary()).isFalse();
		// MKL asks once; after PyTorch has loaded, the answer can no longer be given.
		assertThat(
				MklKernels.decide(true, "Linux", "amd64", EPYC, MAPS_WITHOUT_PYTORCH + "7f01 r-xp /x/libtorch_cpu.so\n")
					.reason())
			.contains("PyTorch was loaded before");
	}

	@Test
	void aCapOnMklsInstructionsIsSaid() {
		MklKernels.Choice loaded = MklKernels.decide(true, "Linux", "amd64", EPYC, MAPS_WITHOUT_PYTORCH);
		assertThat(MklKernels.capped(loaded, null)).isEqualTo(loaded);
		assertThat(MklKernels.capped(loaded, "AVX512")).isEqualTo(loaded);
		assertThat(MklKernels.capped(loaded, "AVX2").reason())
			.contains("MKL_ENABLE_INSTRUCTIONS=AVX2 caps its kernels");
	}

	@Test
	void theCommittedLibraryAnswersThatTheProcessorIsIntels() {
		// Loaded locally (RTLD_LAZY alone), so it cannot stand in for MKL's own function
		// in this JVM.
		NativeLibrary library = NativeLibrary.getInstance(MklKernels.LIBRARY, Map.of(Library.OPTION_OPEN_FLAGS, 1));
		try {
			assertThat(library.getFunction("mkl_serv_intel_cpu_true").invokeInt(new Object[0])).isEqualTo(1);
		}
		finally {
			library.close();
		}
	}

	@Test
	void mklDetectsAnotherProcessorExactlyWhenTheChoiceSaysSo() throws Exception {
		String asked = probe(true);
		String refused = probe(false);
		assertThat(refused).contains("choice: MKL's own choice: elman.mkl-avx512-on-amd is false");
		if (asked.contains("MKL's vendor check answered as on Intel's")) {
			assertThat(cpuType(asked)).isNotEqualTo(cpuType(refused));
		}
		else {
			assertThat(asked).contains("choice: MKL's own choice: ");
			assertThat(cpuType(asked)).isEqualTo(cpuType(refused));
		}
	}

	/** Runs {@link MklProbe} in a JVM of its own and returns what it printed. */
	private static String probe(boolean allowed) throws Exception {
		Path output = Files.createTempFile("mkl-probe", ".log");
		try {
			Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-cp", System.getProperty("java.class.path"), MklProbe.class.getName(), String.valueOf(allowed))
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!probe.waitFor(2, TimeUnit.MINUTES)) {
				probe.destroyForcibly();
			}
			String printed = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(probe.isAlive()).as("the probe ends within two minutes: " + printed).isFalse();
			assertThat(probe.exitValue()).as(printed).isZero();
			return printed;
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static String cpuType(String printed) {
		Matcher type = Pattern.compile("mkl cpu type: (\\d+)").matcher(printed);
		assertThat(type.find()).as(printed).isTrue();
		return type.group(1);
	}

}

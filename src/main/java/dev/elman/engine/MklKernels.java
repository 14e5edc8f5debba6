package dev.elman.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets MKL, the matrix library inside PyTorch's CPU build, use its AVX-512 kernels on AMD
 * processors that have AVX-512.
 *
 * <p>
 * Why: MKL chooses its kernels by the processor's vendor first. On AMD's it takes generic
 * AVX2 kernels ({@code mkl_blas_def_sgemm_kernel_0_zen} in a profile), AVX-512 or not;
 * only on Intel's does it go on to choose by the processor's features. It asks its own
 * function {@code mkl_serv_intel_cpu_true}, which PyTorch's library exports and calls
 * through its dynamic symbol table, so a one-function library that answers yes
 * ({@code src/main/native/mkl_intel_path.c}), loaded globally before PyTorch, takes its
 * place: MKL then chooses by features (CPUID) as on Intel's processors. Measured on an
 * AMD EPYC (Zen 5), one thread: a 128 by 128 by 128 product 48 &rarr; 23 &micro;s (87
 * &rarr; 183 GFLOP/s, against 96 for OpenBLAS). The matrices these models multiply are
 * where most of a step's time goes. Intel does not support MKL's Intel paths on other
 * processors; the setting turns this off.
 *
 * <p>
 * Only where it was measured: Linux on x86-64, an AMD processor that lists
 * {@code avx512f}; elsewhere (Intel's processors already get these kernels) nothing is
 * loaded. It must happen before PyTorch loads: MKL asks once.
 */
final class MklKernels {

	private static final Logger logger = LoggerFactory.getLogger(MklKernels.class);

	/**
	 * The library's name: JNA finds {@code linux-x86-64/libelman-mkl-intel-path.so} on
	 * the classpath and unpacks it into {@code jna.tmpdir} (see {@link #apply}) before
	 * loading it.
	 */
	static final String LIBRARY = "elman-mkl-intel-path";

	/** {@code RTLD_LAZY | RTLD_GLOBAL} on Linux: the symbol serves later libraries. */
	static final int GLOBALLY = 0x001 | 0x100;

	/** Held so the library is never closed while PyTorch's calls are bound to it. */
	private static NativeLibrary loaded;

	/** The first call's choice: MKL asks once per process. */
	private static Choice choice;

	private static boolean firstAllowed;

	private MklKernels() {
	}

	/**
	 * Which kernels MKL runs in this process, and why.
	 *
	 * @param loadsLibrary whether the dispatch library is (to be) loaded
	 * @param reason a sentence for the log and {@code /actuator/info}
	 */
	record Choice(boolean loadsLibrary, String reason) {

	}

	/**
	 * Loads the dispatch library if this processor gains from it; once per process, and
	 * before PyTorch is loaded.
	 * @param allowed the setting {@code elman.mkl-avx512-on-amd}
	 * @param nativeFolder the folder PyTorch's libraries are unpacked into, or null if
	 * not known: unless {@code jna.tmpdir} is set, JNA unpacks into its {@code jna}
	 * subfolder when that can be written, because JNA's own default (under the home
	 * folder) may be a file system that maps no code, such as a container's tmpfs
	 * @return what was chosen; MKL's own choice if anything failed, with the reason
	 */
	static synchronized Choice apply(boolean allowed, Path nativeFolder) {
		if (choice != null) {
			return (allowed == firstAllowed) ? choice : new Choice(choice.loadsLibrary(), choice.reason()
					+ "; decided when PyTorch first loaded in this process, which reads the setting once");
		}
		Choice decided = decide(allowed, System.getProperty("os.name"), System.getProperty("os.arch"),
				read(Path.of("/proc/cpuinfo")), read(Path.of("/proc/self/maps")));
		if (decided.loadsLibrary()) {
			unpackNextTo(nativeFolder);
			try {
				loaded = NativeLibrary.getInstance(LIBRARY, Map.of(Library.OPTION_OPEN_FLAGS, GLOBALLY,
						Library.OPTION_CLASSLOADER, MklKernels.class.getClassLoader()));
				decided = capped(decided, System.getenv("MKL_ENABLE_INSTRUCTIONS"));
			}
			catch (LinkageError | RuntimeException ex) {
				// Only speed is at stake: the service starts with MKL's own kernels. The
				// reason, shown on the open info endpoint, names no path; the log does.
				logger.warn("MKL keeps its own choice of kernels: the dispatch library did not load: {}",
						ex.toString());
				decided = new Choice(false, "MKL's own choice: the dispatch library did not load (see the log)");
			}
		}
		choice = decided;
		firstAllowed = allowed;
		return decided;
	}

	/**
	 * Points JNA's unpacking at the folder PyTorch's libraries load from, where it can:
	 * JNA reads {@code jna.tmpdir} for every library it unpacks, its own included, so the
	 * property is set only for a folder that exists and can be written.
	 */
	private static void unpackNextTo(Path nativeFolder) {
		if (System.getProperty("jna.tmpdir") != null || nativeFolder == null) {
			return;
		}
		try {
			Path folder = Files.createDirectories(nativeFolder.resolve("jna").toAbsolutePath());
			if (Files.isWritable(folder)) {
				System.setProperty("jna.tmpdir", folder.toString());
			}
		}
		catch (IOException | SecurityException ex) {
			logger.debug("JNA unpacks into its own folder: {}", ex.toString());
		}
	}

	/**
	 * The choice, saying so when {@code MKL_ENABLE_INSTRUCTIONS} caps MKL's instruction
	 * set below AVX-512 (MKL then runs the capped kernels whatever the vendor check
	 * says).
	 */
	static Choice capped(Choice choice, String enabledInstructions) {
		if (enabledInstructions == null || enabledInstructions.isBlank()
				|| enabledInstructions.strip().toUpperCase(Locale.ROOT).startsWith("AVX512")) {
			return choice;
		}
		return new Choice(choice.loadsLibrary(),
				"MKL's vendor check answered as on Intel's, but MKL_ENABLE_INSTRUCTIONS=" + enabledInstructions.strip()
						+ " caps its kernels (elman.mkl-avx512-on-amd)");
	}

	/**
	 * Whether to load the library.
	 * @param allowed the setting
	 * @param os the {@code os.name} property
	 * @param arch the {@code os.arch} property
	 * @param cpuInfo {@code /proc/cpuinfo}, empty if unreadable
	 * @param maps {@code /proc/self/maps}, to tell whether PyTorch is loaded already
	 * @return the choice, with its reason
	 */
	static Choice decide(boolean allowed, String os, String arch, String cpuInfo, String maps) {
		if (!allowed) {
			return new Choice(false, "MKL's own choice: elman.mkl-avx512-on-amd is false");
		}
		if (!"Linux".equals(os) || !("amd64".equals(arch) || "x86_64".equals(arch))) {
			return new Choice(false, "MKL's own choice: not Linux on x86-64");
		}
		String vendor = field(cpuInfo, "vendor_id");
		if (!"AuthenticAMD".equals(vendor)) {
			return new Choice(false, "MKL's own choice: the processor is " + (vendor.isEmpty() ? "unknown" : vendor));
		}
		if (!Arrays.asList(field(cpuInfo, "flags").split(" ")).contains("avx512f")) {
			return new Choice(false, "MKL's own choice: this AMD processor has no AVX-512");
		}
		if (maps.contains("libtorch_cpu")) {
			return new Choice(false, "MKL's own choice: PyTorch was loaded before the engine started");
		}
		return new Choice(true,
				"AVX-512 kernels on this AMD processor: MKL's vendor check answered as on Intel's (elman.mkl-avx512-on-amd)");
	}

	/** The value of the first line of {@code /proc/cpuinfo} that names the field. */
	private static String field(String cpuInfo, String name) {
		for (String line : cpuInfo.split("\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
				return line.substring(colon + 1).strip();
			}
		}
		return "";
	}

	/** Read as bytes: a mapped file's name need not be UTF-8. */
	private static String read(Path file) {
		try {
			return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			return "";
		}
	}

}

package dev.elman.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.NativeLibrary;

/**
 * Starts the engine with {@code elman.mkl-avx512-on-amd} as the argument says, multiplies
 * two matrices once, and prints the choice and the processor type MKL detected
 * ({@code mkl_serv_get_cpu_type}, an exported but undocumented MKL function: MKL's
 * documented version and verbose output name no code path). {@link MklKernelsTests} runs
 * it in a JVM of its own: MKL chooses once per process.
 */
public final class MklProbe {

	private MklProbe() {
	}

	public static void main(String[] args) throws IOException {
		EngineProperties defaults = EngineProperties.onCpu(Path.of("target", "mkl-probe"));
		ComputeEngine engine = ComputeEngine.start(
				new EngineProperties(defaults.device(), 1, 1, defaults.dataDir(), null, Boolean.parseBoolean(args[0])));
		System.out.println("choice: " + engine.mklKernels());
		try (NDManager manager = NDManager.newBaseManager()) {
			manager.ones(new Shape(64, 64)).matMul(manager.ones(new Shape(64, 64))).getFloat(0, 0);
		}
		String torch = Files.readAllLines(Path.of("/proc/self/maps"))
			.stream()
			.map((line) -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
			.filter((file) -> file.endsWith("/libtorch_cpu.so"))
			.findFirst()
			.orElseThrow();
		NativeLibrary library = NativeLibrary.getInstance(torch);
		System.out.println("mkl cpu type: " + library.getFunction("mkl_serv_get_cpu_type").invokeInt(new Object[0]));
	}

}

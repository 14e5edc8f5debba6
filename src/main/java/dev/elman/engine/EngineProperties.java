package dev.elman.engine;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how the models compute.
 *
 * @param device {@code auto} (a GPU if PyTorch sees one, else the CPU), {@code cpu},
 * {@code gpu} or {@code gpu:N}; asking for a GPU that is absent stops the service at
 * startup
 * @param intraOpThreads threads PyTorch uses inside one operation; 1 is fastest for the
 * small matrices of these models on a small machine, more helps large hidden sizes on
 * many cores
 * @param interOpThreads threads PyTorch uses to run independent operations in parallel
 * @param dataDir the folder for the service's data (models, jobs, the embedded database)
 * @param engineCache where PyTorch's native libraries are unpacked at first start (about
 * 430 MB); by default the user's cache folder ({@code $XDG_CACHE_HOME/elman/engine}, else
 * {@code ~/.cache/elman/engine}), not the data folder, so backups of the data skip it
 * @param mklAvx512OnAmd on an AMD processor with AVX-512, let MKL (PyTorch's CPU matrix
 * library) run its AVX-512 kernels instead of the generic AVX2 ones it picks for AMD's
 * processors (matrix products about twice as fast, see {@link MklKernels}); false leaves
 * MKL's own choice. Read once, when the engine loads
 */
@Validated
@ConfigurationProperties("elman")
public record EngineProperties(@NotNull @DefaultValue("cpu") DeviceSetting device,
		@Min(1) @Max(256) @DefaultValue("1") int intraOpThreads,
		@Min(1) @Max(256) @DefaultValue("1") int interOpThreads, @NotNull @DefaultValue("data") Path dataDir,
		Path engineCache, @DefaultValue("true") boolean mklAvx512OnAmd) {

	/**
	 * The defaults on the CPU, for tools and tests outside Spring: one thread each, the
	 * engine cache in the user's cache folder, MKL's AVX-512 kernels where they help.
	 * @param dataDir the data folder
	 * @return the settings
	 */
	public static EngineProperties onCpu(Path dataDir) {
		return new EngineProperties(new DeviceSetting(DeviceSetting.Kind.CPU, 0), 1, 1, dataDir, null, true);
	}

	/**
	 * Returns where the native libraries go: the setting, else the user's cache folder,
	 * else (no home folder at all) the data folder.
	 * @return the folder
	 */
	public Path engineCacheOrDefault() {
		if (this.engineCache != null) {
			return this.engineCache;
		}
		String xdg = System.getenv("XDG_CACHE_HOME");
		if (xdg != null && !xdg.isBlank()) {
			return Path.of(xdg, "elman", "engine");
		}
		String home = System.getProperty("user.home");
		if (home != null && !home.isBlank() && !home.equals("?")) {
			return Path.of(home, ".cache", "elman", "engine");
		}
		return this.dataDir.resolve("engine-cache");
	}

}

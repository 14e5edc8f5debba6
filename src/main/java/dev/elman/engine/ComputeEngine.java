package dev.elman.engine;

import java.nio.file.Path;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded PyTorch engine and the device every model of this process computes on.
 *
 * <p>
 * Loading makes sure DJL never downloads anything: the natives come from the classpath
 * (or from {@code PYTORCH_LIBRARY_PATH}) and are unpacked under the data folder.
 *
 * @param engineName the DJL engine name ({@code PyTorch})
 * @param engineVersion the PyTorch version
 * @param djlVersion the DJL API version
 * @param device the device models compute on
 * @param intraOpThreads threads inside one operation, as PyTorch reports them
 * @param interOpThreads threads across operations, as PyTorch reports them
 * @param visibleGpus CUDA devices PyTorch can see
 * @param mklKernels which kernels MKL runs, and why ({@link MklKernels})
 */
public record ComputeEngine(String engineName, String engineVersion, String djlVersion, Device device,
		int intraOpThreads, int interOpThreads, int visibleGpus, String mklKernels) {

	private static final Logger logger = LoggerFactory.getLogger(ComputeEngine.class);

	static final String ENGINE_NAME = "PyTorch";

	/**
	 * Loads PyTorch and picks the device.
	 * @param properties the settings
	 * @return the engine, ready to compute
	 * @throws DeviceUnavailableException if a GPU is asked for and absent
	 */
	public static ComputeEngine start(EngineProperties properties) {
		preventDownloads(properties.engineCacheOrDefault());
		MklKernels.Choice mkl = MklKernels.apply(properties.mklAvx512OnAmd(), nativeFolder());
		Engine engine = Engine.getEngine(ENGINE_NAME);
		// Process-wide settings: set here, once, because PyTorch reads them per call.
		JniUtils.setNumThreads(properties.intraOpThreads());
		setInteropThreads(properties.interOpThreads());
		int gpus = engine.getGpuCount();
		Device device = properties.device().resolve(gpus);
		ComputeEngine started = new ComputeEngine(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
				device, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), gpus, mkl.reason());
		logger.info(
				"Engine {} {} (DJL {}) on {} ({} asked, {} GPU(s) visible), {} intra-op and {} inter-op thread(s); MKL: {}",
				started.engineName(), started.engineVersion(), started.djlVersion(), started.device(),
				properties.device(), gpus, started.intraOpThreads(), started.interOpThreads(), mkl.reason());
		return started;
	}

	/**
	 * Loads PyTorch for tools and tests outside Spring: CPU, one thread each.
	 * @return the engine on the CPU
	 */
	public static ComputeEngine startOnCpu() {
		return start(EngineProperties.onCpu(Path.of("data")));
	}

	/**
	 * DJL downloads natives it cannot find and writes to the user's home unless told
	 * otherwise; a service must do neither, so both are pinned before the engine loads. A
	 * value the operator set explicitly wins.
	 */
	private static void preventDownloads(Path engineCache) {
		if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
			System.setProperty("ai.djl.offline", "true");
		}
		if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
			System.setProperty("ENGINE_CACHE_DIR", engineCache.toAbsolutePath().toString());
		}
	}

	/**
	 * Where DJL unpacks PyTorch's libraries, as the operator or {@link #preventDownloads}
	 * set it: a folder libraries can be loaded from; null where blank (DJL then uses its
	 * own default).
	 */
	private static Path nativeFolder() {
		// DJL's own lookup: the environment first, then the system property.
		String folder = Utils.getEnvOrSystemProperty("ENGINE_CACHE_DIR");
		return (folder == null || folder.isBlank()) ? null : Path.of(folder);
	}

	/** PyTorch refuses to change the inter-op pool once it has been used. */
	private static void setInteropThreads(int threads) {
		if (JniUtils.getNumInteropThreads() == threads) {
			return;
		}
		try {
			JniUtils.setNumInteropThreads(threads);
		}
		catch (RuntimeException ex) {
			logger.warn("PyTorch kept {} inter-op threads: {}", JniUtils.getNumInteropThreads(), ex.getMessage());
		}
	}

}

package dev.elman.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Shows the engine, its version, the device and MKL's kernels under
 * {@code /actuator/info}.
 */
class EngineInfoContributor implements InfoContributor {

	private final ComputeEngine engine;

	EngineInfoContributor(ComputeEngine engine) {
		this.engine = engine;
	}

	@Override
	public void contribute(Info.Builder builder) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("name", this.engine.engineName());
		details.put("version", this.engine.engineVersion());
		details.put("djlVersion", this.engine.djlVersion());
		details.put("device", this.engine.device().toString());
		details.put("visibleGpus", this.engine.visibleGpus());
		details.put("intraOpThreads", this.engine.intraOpThreads());
		details.put("interOpThreads", this.engine.interOpThreads());
		details.put("mklKernels", this.engine.mklKernels());
		builder.withDetail("engine", details);
	}

}

package dev.elman.engine;

import ai.djl.ndarray.NDManager;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether PyTorch still computes on the service's device: a loaded library is not enough
 * (a GPU can fall off the bus, a native call can start failing), so each check adds two
 * numbers there and compares the answer.
 */
class EngineHealthIndicator extends AbstractHealthIndicator {

	private final ComputeEngine engine;

	EngineHealthIndicator(ComputeEngine engine) {
		super("The compute engine check failed");
		this.engine = engine;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		float sum;
		try (NDManager arrays = NDManager.newBaseManager(this.engine.device(), ComputeEngine.ENGINE_NAME)) {
			sum = arrays.create(new float[] { 1f, 2f }).sum().getFloat();
		}
		builder.status((sum == 3f) ? Status.UP : Status.DOWN);
		if (sum != 3f) {
			builder.withDetail("error", "1 + 2 came out as " + sum);
		}
		builder.withDetail("engine", this.engine.engineName())
			.withDetail("version", this.engine.engineVersion())
			.withDetail("device", this.engine.device().toString());
	}

}

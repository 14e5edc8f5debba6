package dev.elman.background;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether the service's background work still runs: the registry scan, the job event
 * stream, the generation workers, the training queue's poller and heartbeats. A loop that
 * died for good or is stuck makes it DOWN, in the liveness group too: only a restart
 * helps then.
 */
class BackgroundWorkHealthIndicator extends AbstractHealthIndicator {

	private final List<BackgroundLoop> loops;

	BackgroundWorkHealthIndicator(List<BackgroundLoop> loops) {
		super("The background work check failed");
		this.loops = List.copyOf(loops);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean alive = true;
		Map<String, Object> details = new LinkedHashMap<>();
		for (BackgroundLoop loop : this.loops) {
			BackgroundLoop.State state = loop.state();
			alive &= state.alive();
			Map<String, Object> loopDetails = new LinkedHashMap<>();
			loopDetails.put("status", state.alive() ? "UP" : "DOWN");
			loopDetails.putAll(state.details());
			details.put(loop.name(), loopDetails);
		}
		builder.status(alive ? Status.UP : Status.DOWN).withDetails(details);
	}

}

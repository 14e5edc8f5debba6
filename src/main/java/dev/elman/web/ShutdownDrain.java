package dev.elman.web;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Holds the shutdown for {@code elman.shutdown.drain-delay} before anything stops. Spring
 * Boot marks readiness DOWN as the context starts closing; this phase stops first, so the
 * server goes on answering (readiness 503 included) while load balancers notice, and only
 * then does the graceful shutdown of the web server begin.
 */
@Component
class ShutdownDrain implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ShutdownDrain.class);

	private final Duration delay;

	private volatile boolean running;

	ShutdownDrain(ShutdownProperties properties) {
		this.delay = properties.drainDelay();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.delay.isZero() || this.delay.isNegative()) {
			return;
		}
		logger.info("Readiness is DOWN; draining for {} before the server stops taking requests", this.delay);
		try {
			Thread.sleep(this.delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}

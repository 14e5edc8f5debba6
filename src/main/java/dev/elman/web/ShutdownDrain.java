package dev.elman.web;

import java.time.Duration;

import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.context.ServletContextAware;

/**
 * Holds the shutdown for {@code elman.shutdown.drain-delay} before anything stops. Spring
 * Boot marks readiness DOWN as the context starts closing; this phase stops first, so the
 * server goes on answering (readiness 503 included) while load balancers notice, and only
 * then does the graceful shutdown of the web server begin.
 */
@Component
class ShutdownDrain implements SmartLifecycle, ServletContextAware {

	private static final Logger logger = LoggerFactory.getLogger(ShutdownDrain.class);

	private static final String STOPPING = ShutdownDrain.class.getName() + ".stopping";

	private final Duration delay;

	private volatile ServletContext servletContext;

	private volatile boolean running;

	ShutdownDrain(ShutdownProperties properties) {
		this.delay = properties.drainDelay();
	}

	@Override
	public void setServletContext(ServletContext servletContext) {
		this.servletContext = servletContext;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Whether the service of a servlet context is shutting down. Kept on the context, not
	 * in a static: Tomcat makes the error report valve itself, and tests run several
	 * services in one JVM.
	 * @param context the service's servlet context, or null if a request reached none
	 * @return true once the service's drain has begun
	 */
	static boolean isStopping(ServletContext context) {
		return context != null && Boolean.TRUE.equals(context.getAttribute(STOPPING));
	}

	@Override
	public void stop() {
		this.running = false;
		ServletContext context = this.servletContext;
		if (context != null) {
			context.setAttribute(STOPPING, Boolean.TRUE);
		}
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

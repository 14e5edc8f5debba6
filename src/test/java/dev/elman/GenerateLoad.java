package dev.elman;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that send one request after another until stopped and count what was answered
 * 200 and what was not (another status, or no answer at all), for the tests that change a
 * cluster under load.
 */
final class GenerateLoad {

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final ExecutorService clients;

	private final List<Future<?>> loops = new ArrayList<>();

	private GenerateLoad(int clients) {
		this.clients = Executors.newFixedThreadPool(clients);
	}

	/**
	 * Starts the clients.
	 * @param clients how many send at once
	 * @param request sends one request and returns its status
	 * @return the running load
	 */
	static GenerateLoad start(int clients, Request request) {
		GenerateLoad load = new GenerateLoad(clients);
		for (int i = 0; i < clients; i++) {
			load.loops.add(load.clients.submit(() -> {
				while (load.running.get()) {
					(load.succeeds(request) ? load.answered : load.failed).incrementAndGet();
				}
			}));
		}
		return load;
	}

	private boolean succeeds(Request request) {
		try {
			return request.send() == 200;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * Stops the clients, prints the counts and fails the test unless every request was
	 * answered 200.
	 * @param when what happened meanwhile, for the message
	 */
	void stopAndAssertNoFailures(String when) throws Exception {
		this.running.set(false);
		for (Future<?> loop : this.loops) {
			loop.get();
		}
		this.clients.shutdown();
		System.out.printf("%s: %d requests answered, %d failed%n", when, this.answered.get(), this.failed.get());
		assertThat(this.answered.get()).as(when).isPositive();
		assertThat(this.failed.get()).as(when).isZero();
	}

	/** One request. */
	@FunctionalInterface
	interface Request {

		int send() throws Exception;

	}

}

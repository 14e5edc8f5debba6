package dev.elman.background;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A body run over and over on a thread of its own that nothing stops but
 * {@link #close()}: an exception or an error (out of memory included) in one round is
 * logged and the next round runs; a thread that dies all the same (an error thrown while
 * handling an error) is replaced. A periodic loop knows when it last completed a round,
 * so its health can tell a loop that is stuck.
 *
 * <p>
 * Thread-safe.
 */
public final class SupervisedLoop implements BackgroundLoop, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SupervisedLoop.class);

	private final String name;

	private final String threadName;

	private final Duration interval;

	private final Duration stuckAfter;

	private final Round body;

	private final AtomicLong rounds = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong restarts = new AtomicLong();

	private volatile long lastCompleted = System.nanoTime();

	private volatile boolean running = true;

	private volatile Thread thread;

	private SupervisedLoop(String name, String threadName, Duration interval, Duration stuckAfter, Round body) {
		this.name = name;
		this.threadName = threadName;
		this.interval = interval;
		this.stuckAfter = stuckAfter;
		this.body = body;
	}

	/**
	 * Starts a loop that runs its body, then waits {@code interval}, and so on.
	 * @param name the name health shows
	 * @param threadName the thread's name, for logs and thread dumps
	 * @param interval the pause between two rounds
	 * @param stuckAfter how long without a completed round means the loop is stuck
	 * @param body one round
	 * @return the running loop
	 */
	public static SupervisedLoop every(String name, String threadName, Duration interval, Duration stuckAfter,
			Round body) {
		SupervisedLoop loop = new SupervisedLoop(name, threadName, interval, stuckAfter, body);
		loop.spawn();
		return loop;
	}

	/**
	 * Starts a loop whose body blocks until there is work (a queue consumer), so a long
	 * time between rounds is no sign of trouble; only a dead thread would be, and it is
	 * replaced.
	 * @param name the name health shows
	 * @param threadName the thread's name
	 * @param body one round; it may block, and is interrupted by {@link #close()}
	 * @return the running loop
	 */
	public static SupervisedLoop continuously(String name, String threadName, Round body) {
		SupervisedLoop loop = new SupervisedLoop(name, threadName, Duration.ZERO, null, body);
		loop.spawn();
		return loop;
	}

	private void spawn() {
		Thread next = new Thread(this::run, this.threadName);
		next.setDaemon(true);
		next.setUncaughtExceptionHandler((dead, failure) -> died(failure));
		this.thread = next;
		next.start();
	}

	private void run() {
		while (this.running) {
			try {
				this.body.run();
				this.rounds.incrementAndGet();
				this.lastCompleted = System.nanoTime();
			}
			catch (InterruptedException ex) {
				if (!this.running) {
					return;
				}
				continue;
			}
			catch (Throwable failure) {
				if (!this.running) {
					return;
				}
				this.failures.incrementAndGet();
				logger.error("{} failed a round; it goes on", this.threadName, failure);
			}
			if (!this.interval.isZero() && !pause()) {
				return;
			}
		}
	}

	private boolean pause() {
		try {
			TimeUnit.NANOSECONDS.sleep(this.interval.toNanos());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return this.running;
		}
	}

	private void died(Throwable failure) {
		if (!this.running) {
			return;
		}
		this.restarts.incrementAndGet();
		logger.error("{} died; starting it again", this.threadName, failure);
		spawn();
	}

	/** One round of a loop. */
	@FunctionalInterface
	public interface Round {

		/**
		 * Does one round of work.
		 * @throws InterruptedException when the loop is being closed while the round
		 * waits
		 */
		void run() throws InterruptedException;

	}

	/**
	 * Returns the thread running the loop now (a replaced thread is not it).
	 * @return the thread
	 */
	public Thread thread() {
		return this.thread;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public State state() {
		Map<String, Object> details = new LinkedHashMap<>();
		Thread current = this.thread;
		boolean threadAlive = current != null && current.isAlive();
		details.put("running", this.running);
		details.put("rounds", this.rounds.get());
		details.put("failedRounds", this.failures.get());
		details.put("restarts", this.restarts.get());
		boolean stuck = false;
		if (this.stuckAfter != null) {
			long since = Duration.ofNanos(System.nanoTime() - this.lastCompleted).toSeconds();
			details.put("secondsSinceLastRound", since);
			stuck = since > this.stuckAfter.toSeconds();
		}
		return new State(!this.running || (threadAlive && !stuck), details);
	}

	/** Stops the loop and waits briefly for its thread. */
	@Override
	public void close() {
		this.running = false;
		Thread current = this.thread;
		if (current != null) {
			current.interrupt();
			try {
				current.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}

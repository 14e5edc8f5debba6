package dev.elman.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import dev.elman.background.BackgroundLoop;

/**
 * Watches db-scheduler's own threads through its events: the poller that picks up queued
 * jobs reports every round, the heartbeat thread every round in which a job runs here. A
 * poller silent for many rounds is dead (queued jobs would wait for ever); heartbeats
 * silent while a job runs mean other replicas will take that job for dead and run it
 * twice. Either way only a restart helps, and health says so.
 */
final class SchedulerLiveness extends AbstractSchedulerListener implements BackgroundLoop {

	private final Duration pollerStuckAfter;

	private final Duration heartbeatsStuckAfter;

	private final IntSupplier executing;

	private final Supplier<Thread> poller;

	private volatile boolean running;

	/** The poller's last round, whether its query succeeded or failed. */
	private volatile long lastPollRound = System.nanoTime();

	/** The poller's last round that reached the database. */
	private volatile long lastPoll = System.nanoTime();

	private volatile long lastHeartbeats = System.nanoTime();

	/**
	 * Creates the watch.
	 * @param pollerStuckAfter how long without a round of the poller means it is gone
	 * @param heartbeatsStuckAfter how long without heartbeats makes a running job dead to
	 * other replicas
	 * @param executing how many jobs run here now
	 * @param poller the poller's thread now
	 */
	SchedulerLiveness(Duration pollerStuckAfter, Duration heartbeatsStuckAfter, IntSupplier executing,
			Supplier<Thread> poller) {
		this.pollerStuckAfter = pollerStuckAfter;
		this.heartbeatsStuckAfter = heartbeatsStuckAfter;
		this.executing = executing;
		this.poller = poller;
	}

	/**
	 * Creates the watch for a scheduler's settings: the poller is gone after 30 rounds
	 * (at least 5 s) without one, heartbeats after as many as make a job dead to others.
	 * @param pollingInterval how often the poller runs
	 * @param heartbeatInterval how often heartbeats are written
	 * @param missedHeartbeats how many missed heartbeats make a job dead to others
	 * @param executing how many jobs run here now
	 * @param poller the poller's thread now
	 * @return the watch
	 */
	static SchedulerLiveness of(Duration pollingInterval, Duration heartbeatInterval, int missedHeartbeats,
			IntSupplier executing, Supplier<Thread> poller) {
		Duration rounds = pollingInterval.multipliedBy(30);
		return new SchedulerLiveness((rounds.compareTo(Duration.ofSeconds(5)) > 0) ? rounds : Duration.ofSeconds(5),
				heartbeatInterval.multipliedBy(missedHeartbeats), executing, poller);
	}

	/** A new scheduler starts: its threads have had no chance to report yet. */
	void started() {
		long now = System.nanoTime();
		this.lastPollRound = now;
		this.lastPoll = now;
		this.lastHeartbeats = now;
		this.running = true;
	}

	void stopped() {
		this.running = false;
	}

	/**
	 * A job starting here has a fresh heartbeat; the next one is due an interval later.
	 */
	@Override
	public void onExecutionStart(CurrentlyExecuting execution) {
		this.lastHeartbeats = System.nanoTime();
	}

	@Override
	public void onSchedulerEvent(SchedulerEventType type) {
		long now = System.nanoTime();
		if (type == SchedulerEventType.RAN_EXECUTE_DUE) {
			this.lastPoll = now;
			this.lastPollRound = now;
		}
		else if (type == SchedulerEventType.UNEXPECTED_ERROR && Thread.currentThread() == this.poller.get()) {
			// A round that failed (the database is down, say) is still a round: the
			// poller lives, and a restart would not bring the database back.
			this.lastPollRound = now;
		}
		else if (type == SchedulerEventType.RAN_UPDATE_HEARTBEATS) {
			this.lastHeartbeats = now;
		}
	}

	@Override
	public String name() {
		return "trainingQueuePolling";
	}

	@Override
	public State state() {
		long now = System.nanoTime();
		Duration sinceRound = Duration.ofNanos(now - this.lastPollRound);
		Duration sincePoll = Duration.ofNanos(now - this.lastPoll);
		Duration sinceHeartbeats = Duration.ofNanos(now - this.lastHeartbeats);
		int executing = this.executing.getAsInt();
		boolean databaseReachable = sincePoll.compareTo(this.heartbeatsStuckAfter) <= 0;
		boolean pollerStuck = sinceRound.compareTo(this.pollerStuckAfter) > 0;
		// Heartbeats cannot be written while the database is away; only when it answers
		// the poller and not the heartbeats is the heartbeat thread gone.
		boolean heartbeatsStuck = executing > 0 && databaseReachable
				&& sinceHeartbeats.compareTo(this.heartbeatsStuckAfter) > 0;
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("running", this.running);
		details.put("secondsSincePoll", sinceRound.toSeconds());
		details.put("databaseReachable", databaseReachable);
		details.put("jobsRunningHere", executing);
		if (executing > 0) {
			details.put("secondsSinceHeartbeats", sinceHeartbeats.toSeconds());
		}
		if (this.running && pollerStuck) {
			details.put("error", "The queue's poller has not run for " + sinceRound.toSeconds()
					+ " s: queued jobs are not picked up here");
		}
		if (this.running && heartbeatsStuck) {
			details.put("error", "No heartbeat for the jobs running here for " + sinceHeartbeats.toSeconds()
					+ " s: other replicas will take them for dead");
		}
		return new State(!this.running || !(pollerStuck || heartbeatsStuck), details);
	}

}

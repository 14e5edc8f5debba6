package dev.elman.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

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

	private volatile boolean running;

	private volatile long lastPoll = System.nanoTime();

	private volatile long lastHeartbeats = System.nanoTime();

	/**
	 * Creates the watch.
	 * @param pollingInterval how often the poller runs
	 * @param heartbeatInterval how often heartbeats are written
	 * @param missedHeartbeats how many missed heartbeats make a job dead to others
	 * @param executing how many jobs run here now
	 */
	SchedulerLiveness(Duration pollingInterval, Duration heartbeatInterval, int missedHeartbeats,
			IntSupplier executing) {
		Duration rounds = pollingInterval.multipliedBy(30);
		this.pollerStuckAfter = (rounds.compareTo(Duration.ofSeconds(5)) > 0) ? rounds : Duration.ofSeconds(5);
		this.heartbeatsStuckAfter = heartbeatInterval.multipliedBy(missedHeartbeats);
		this.executing = executing;
	}

	/** A new scheduler starts: its threads have had no chance to report yet. */
	void started() {
		this.lastPoll = System.nanoTime();
		this.lastHeartbeats = System.nanoTime();
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
		if (type == SchedulerEventType.RAN_EXECUTE_DUE) {
			this.lastPoll = System.nanoTime();
		}
		else if (type == SchedulerEventType.RAN_UPDATE_HEARTBEATS) {
			this.lastHeartbeats = System.nanoTime();
		}
	}

	@Override
	public String name() {
		return "trainingQueuePolling";
	}

	@Override
	public State state() {
		long now = System.nanoTime();
		Duration sincePoll = Duration.ofNanos(now - this.lastPoll);
		Duration sinceHeartbeats = Duration.ofNanos(now - this.lastHeartbeats);
		int executing = this.executing.getAsInt();
		boolean pollerStuck = sincePoll.compareTo(this.pollerStuckAfter) > 0;
		boolean heartbeatsStuck = executing > 0 && sinceHeartbeats.compareTo(this.heartbeatsStuckAfter) > 0;
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("running", this.running);
		details.put("secondsSincePoll", sincePoll.toSeconds());
		details.put("jobsRunningHere", executing);
		if (executing > 0) {
			details.put("secondsSinceHeartbeats", sinceHeartbeats.toSeconds());
		}
		if (this.running && pollerStuck) {
			details.put("error", "The queue's poller has not run for " + sincePoll.toSeconds()
					+ " s: queued jobs are not picked up here");
		}
		if (this.running && heartbeatsStuck) {
			details.put("error", "No heartbeat for the jobs running here for " + sinceHeartbeats.toSeconds()
					+ " s: other replicas will take them for dead");
		}
		return new State(!this.running || !(pollerStuck || heartbeatsStuck), details);
	}

}

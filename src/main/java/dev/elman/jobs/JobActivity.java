package dev.elman.jobs;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the jobs running in this process are doing right now, faster than the database:
 * the latest step, the epochs so far, and whether someone asked them to stop.
 */
final class JobActivity {

	private final Map<String, Live> running = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	/** How many jobs train in this process now. */
	int runningCount() {
		return this.running.size();
	}

	/** The latest progress of every job training in this process. */
	List<JobProgress> runningProgress() {
		return this.running.values().stream().map((live) -> live.progress).filter(Objects::nonNull).toList();
	}

	void started(String id) {
		this.running.put(id, new Live());
	}

	void ended(String id) {
		this.running.remove(id);
	}

	void progress(String id, JobProgress progress) {
		Live live = this.running.get(id);
		if (live != null) {
			live.progress = progress;
		}
	}

	/** Asks a job running here to stop; returns false if it does not run here. */
	boolean cancel(String id) {
		Live live = this.running.get(id);
		if (live == null) {
			return false;
		}
		live.cancelled = true;
		return true;
	}

	boolean isCancelled(String id) {
		Live live = this.running.get(id);
		return live != null && live.cancelled;
	}

	/**
	 * The process is shutting down: running jobs stop and are left to resume at the next
	 * start.
	 */
	void stopAll() {
		this.stopping = true;
	}

	/** The process takes jobs again (a restarted lifecycle). */
	void resume() {
		this.stopping = false;
	}

	boolean isStopping() {
		return this.stopping;
	}

	/**
	 * Overlays the live progress of a job that runs here on its stored state.
	 */
	TrainingJob current(TrainingJob stored) {
		Live live = this.running.get(stored.id());
		if (live == null || stored.state().isFinished()) {
			return stored;
		}
		return new TrainingJob(stored.id(), stored.model(), stored.state(), stored.createdAt(), stored.startedAt(),
				stored.finishedAt(), stored.cancelRequested() || live.cancelled, stored.attempts(), stored.replica(),
				stored.spec(), stored.settings(), stored.corpus(),
				(live.progress != null) ? live.progress : stored.progress(), stored.history(),
				stored.resumedAfterEpoch(), stored.result(), stored.error(), stored.idempotencyKey(),
				stored.requestFingerprint());
	}

	private static final class Live {

		volatile JobProgress progress;

		volatile boolean cancelled;

	}

}

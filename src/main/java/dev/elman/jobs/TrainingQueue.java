package dev.elman.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.elman.background.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The durable queue of training jobs, on db-scheduler: every accepted job is a row in
 * {@code scheduled_tasks} that some replica picks up, keeps alive with heartbeats while
 * training, and that any replica runs again if those heartbeats stop (the process died).
 */
final class TrainingQueue implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TrainingQueue.class);

	static final String TASK = "training-job";

	/** How old a job folder without an unfinished job must be to be removed at start. */
	private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

	/** Heartbeats a job may miss before any replica takes it for dead. */
	static final int MISSED_HEARTBEATS = 4;

	private final OneTimeTask<Void> task;

	private final Supplier<Scheduler> schedulers;

	/** A stopped db-scheduler cannot start again, so every start builds a new one. */
	private volatile Scheduler scheduler;

	private final JobRepository repository;

	private final JobActivity activity;

	private final JobFolders folders;

	private final SchedulerLiveness liveness;

	private volatile boolean running;

	/** The thread that polls the queue for due jobs (one per scheduler, so per start). */
	private volatile Thread poller;

	TrainingQueue(DataSource dataSource, JobRunner runner, JobRepository repository, JobActivity activity,
			JobFolders folders, JobProperties properties, String replica) {
		this.repository = repository;
		this.activity = activity;
		this.folders = folders;
		// Only a shutdown ends a run with an exception; retrying soon lets another
		// replica, or this one after its restart, continue from the last checkpoint.
		this.liveness = SchedulerLiveness.of(properties.pollingInterval(), properties.heartbeatInterval(),
				MISSED_HEARTBEATS, () -> this.scheduler.getCurrentlyExecuting().size(), () -> this.poller);
		DeadExecutionHandler<Void> revive = new DeadExecutionHandler.ReviveDeadExecution<>();
		this.task = Tasks.oneTime(TASK)
			.onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(1)))
			// The process running it died: until a replica picks it up again, the job is
			// waiting, not running.
			.onDeadExecution((complete, operations) -> {
				repository.requeue(complete.getExecution().taskInstance.getId());
				revive.deadExecution(complete, operations);
			})
			.execute((instance, context) -> runner.run(instance.getId()));
		this.schedulers = () -> Scheduler.create(dataSource, this.task)
			// The name db-scheduler records in picked_by: the replica's, as in the job's.
			.schedulerName(new SchedulerName.Fixed(replica))
			.threads(properties.maxConcurrent())
			.pollingInterval(properties.pollingInterval())
			.heartbeatInterval(properties.heartbeatInterval())
			.missedHeartbeatsLimit(MISSED_HEARTBEATS)
			.addSchedulerListener(this.liveness)
			.dueExecutor(Executors.newSingleThreadExecutor(this::pollerThread))
			.enableImmediateExecution()
			.shutdownMaxWait(Duration.ofSeconds(30))
			// The runner logs real failures itself; what reaches the scheduler is a
			// shutdown's interruption, expected and logged once already.
			.failureLogging(LogLevel.DEBUG, false)
			.build();
		this.scheduler = this.schedulers.get();
	}

	/** Queues a job; part of the caller's transaction when there is one. */
	void enqueue(String id) {
		this.scheduler.scheduleIfNotExists(this.task.instance(id), Instant.now());
	}

	void remove(String id) {
		try {
			this.scheduler.cancel(this.task.instance(id));
		}
		catch (RuntimeException ex) {
			// Already picked or gone: the runner sees the job's state and does nothing.
		}
	}

	private Thread pollerThread(Runnable task) {
		Thread thread = new Thread(task, "elman-queue-poller");
		this.poller = thread;
		return thread;
	}

	/**
	 * Returns the thread that polls for due jobs now.
	 * @return the thread
	 */
	Thread poller() {
		return this.poller;
	}

	/**
	 * Returns the watch over the scheduler's threads, for health.
	 * @return the liveness of the poller and the heartbeats
	 */
	BackgroundLoop liveness() {
		return this.liveness;
	}

	/** Whether the scheduler takes jobs: started and not shutting down. */
	boolean isPolling() {
		var state = this.scheduler.getSchedulerState();
		return state.isStarted() && !state.isShuttingDown() && !state.isPaused();
	}

	@Override
	public void start() {
		if (this.scheduler.getSchedulerState().isShuttingDown()) {
			this.scheduler = this.schedulers.get();
		}
		this.activity.resume();
		// A job row without an execution (say, a crash between the two) is queued again.
		List<String> unfinished = this.repository.unfinished();
		for (String id : unfinished) {
			enqueue(id);
		}
		this.folders.removeAbandoned(Set.copyOf(unfinished), ABANDONED_AFTER);
		this.liveness.started();
		this.scheduler.start();
		this.running = true;
		logger.info("Training queue started");
	}

	@Override
	public void stop() {
		this.activity.stopAll();
		this.liveness.stopped();
		this.scheduler.stop();
		this.running = false;
	}

	/**
	 * Stops after the readiness drain (the job trains on while load balancers move away)
	 * and before the web server, which comes last.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}

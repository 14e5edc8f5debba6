package dev.elman.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.elman.cluster.Replica;
import dev.elman.http.InvalidFieldException;
import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
import dev.elman.registry.ResolvedVersion;
import dev.elman.training.EpochReport;
import dev.elman.training.StepProgress;
import dev.elman.training.Trainer;
import dev.elman.training.TrainingCancelledException;
import dev.elman.training.TrainingDivergedException;
import dev.elman.training.TrainingListener;
import dev.elman.training.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job: reads its corpus, trains with a checkpoint after every epoch (so a
 * restarted job resumes from its last epoch), publishes the model and records the
 * outcome. Called on a scheduler thread, again after a crash.
 */
final class JobRunner {

	private static final Logger logger = LoggerFactory.getLogger(JobRunner.class);

	/**
	 * How often progress goes to the database and other replicas' cancel requests are
	 * read.
	 */
	private static final long SYNC_NANOS = 2_000_000_000L;

	private final JobRepository repository;

	private final JobActivity activity;

	private final JobFolders folders;

	private final CorpusIntake intake;

	private final Trainer trainer;

	private final ModelRegistry registry;

	private final JobProperties properties;

	private final JobMetrics metrics;

	private final Clock clock;

	private final Replica replica;

	JobRunner(JobRepository repository, JobActivity activity, JobFolders folders, CorpusIntake intake, Trainer trainer,
			ModelRegistry registry, JobProperties properties, JobMetrics metrics, Clock clock, Replica replica) {
		this.repository = repository;
		this.activity = activity;
		this.folders = folders;
		this.intake = intake;
		this.trainer = trainer;
		this.registry = registry;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
		this.replica = replica;
	}

	void run(String id) {
		TrainingJob job = this.repository.find(id).orElse(null);
		if (job == null || job.state().isFinished()) {
			return;
		}
		if (job.cancelRequested()) {
			end(job, JobState.CANCELLED, null, null);
			return;
		}
		Instant now = this.clock.instant();
		Instant firstStart = (job.startedAt() != null) ? job.startedAt() : now;
		JobRepository.Attempt attempt = this.repository.startAttempt(id, now, this.replica.id());
		if (attempt == null) {
			return;
		}
		// Graceful stops (a deploy, a scale-down) are no fault of the job; deaths may be.
		if (attempt.deaths() >= this.properties.maxAttempts()) {
			end(job, JobState.FAILED, null, "The service's process died while training this job " + attempt.deaths()
					+ " times (elman.jobs.max-attempts is " + this.properties.maxAttempts() + "); giving up.");
			this.metrics.ended(JobState.FAILED, Duration.between(firstStart, this.clock.instant()));
			return;
		}
		logger.info("Training job {} for model '{}' (attempt {})", id, job.model(), attempt.number());
		this.activity.started(id);
		try {
			JobState outcome = train(job);
			if (outcome != null) {
				this.metrics.ended(outcome, Duration.between(firstStart, this.clock.instant()));
			}
		}
		finally {
			this.activity.ended(id);
		}
	}

	/**
	 * Trains, publishes and records the outcome; returns the state the job ended in. A
	 * failure to record a published version is thrown, so the queue runs the job again:
	 * it resumes from its last checkpoint, finds its version and records it.
	 */
	private JobState train(TrainingJob job) {
		String id = job.id();
		Path folder = this.folders.of(id);
		TrainingResult result;
		try {
			// Read through a supplier, so the text is not held once it is ids.
			result = this.trainer.train(() -> this.intake.read(folder, job.corpus()), job.spec(), job.settings(),
					folder.resolve("checkpoints"), new Recorder(id), cancellation(id));
		}
		catch (TrainingCancelledException ex) {
			if (this.activity.isStopping()) {
				throw interrupted(id, ex.getMessage());
			}
			end(job, JobState.CANCELLED, null, null);
			return JobState.CANCELLED;
		}
		catch (TrainingDivergedException | InvalidFieldException | IllegalArgumentException ex) {
			end(job, JobState.FAILED, null, ex.getMessage());
			return JobState.FAILED;
		}
		catch (IOException | RuntimeException | Error ex) {
			if (this.activity.isStopping()) {
				throw interrupted(id, ex.toString());
			}
			logger.error("Training job {} failed", id, ex);
			end(job, JobState.FAILED, null, JobFailures.describe(id, ex));
			return JobState.FAILED;
		}
		ResolvedVersion version;
		try (Seq2SeqModel model = result.model()) {
			version = this.registry.publishedBy(job.model(), id).orElse(null);
			if (version == null) {
				Map<String, Object> metadata = new LinkedHashMap<>(result.metadata());
				metadata.put("job", id);
				version = this.registry.publish(job.model(), model, metadata);
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			// Nothing was published: a publication is all or nothing.
			logger.error("Training job {} could not publish its model", id, ex);
			end(job, JobState.FAILED, null, JobFailures.describe(id, ex));
			return JobState.FAILED;
		}
		// A failure from here on is the database's: thrown, so the job runs again, finds
		// its version and records it.
		this.repository.saveHistory(id, result.history(),
				(result.resumedAfterEpoch() > 0) ? result.resumedAfterEpoch() : null);
		end(job, JobState.SUCCEEDED, version.version(), null);
		logger.info("Training job {} published version {} of '{}'", id, version.version(), job.model());
		return JobState.SUCCEEDED;
	}

	private JobInterruptedException interrupted(String id, String reason) {
		logger.info("Training job {} stopped for shutdown ({}); it resumes from its checkpoint at the next start", id,
				reason);
		try {
			this.repository.recordInterruption(id);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the interruption of job {}; it will count as a process death", id, ex);
		}
		return new JobInterruptedException(id);
	}

	private BooleanSupplier cancellation(String id) {
		long[] lastCheck = { System.nanoTime() };
		boolean[] requested = { false };
		return () -> {
			if (this.activity.isStopping() || this.activity.isCancelled(id) || requested[0]) {
				return true;
			}
			long now = System.nanoTime();
			if (now - lastCheck[0] > SYNC_NANOS) {
				lastCheck[0] = now;
				requested[0] = this.repository.isCancelRequested(id);
			}
			return requested[0];
		};
	}

	private void end(TrainingJob job, JobState state, Integer version, String error) {
		this.repository.finish(job.id(), state, version, error, this.clock.instant());
		this.folders.delete(job.id());
	}

	/** Passes progress to watchers at once and to the database now and then. */
	private final class Recorder implements TrainingListener {

		private final String id;

		private long lastSaved = System.nanoTime();

		Recorder(String id) {
			this.id = id;
		}

		@Override
		public void onResume(int completedEpochs) {
			JobRunner.this.repository.saveResumedAfter(this.id, completedEpochs);
			logger.info("Training job {} resumes after epoch {}", this.id, completedEpochs);
		}

		@Override
		public void onStep(StepProgress progress) {
			JobRunner.this.metrics.step(progress);
			JobProgress current = JobProgress.of(progress);
			JobRunner.this.activity.progress(this.id, current);
			long now = System.nanoTime();
			if (now - this.lastSaved > SYNC_NANOS) {
				this.lastSaved = now;
				JobRunner.this.repository.saveProgress(this.id, current);
			}
		}

		@Override
		public void onEpoch(EpochReport report) {
			// One row per epoch: the cost of recording stays the same however long the
			// history grows.
			JobRunner.this.metrics.epoch();
			JobRunner.this.repository.saveEpoch(this.id, report);
		}

	}

}

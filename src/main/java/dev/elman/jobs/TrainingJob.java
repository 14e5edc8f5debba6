package dev.elman.jobs;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.elman.model.ModelSpec;
import dev.elman.training.EpochReport;
import dev.elman.training.TrainingSettings;

/**
 * A training job as clients see it.
 *
 * @param id the job id
 * @param model the name the trained model is published under
 * @param state where the job is
 * @param createdAt when it was accepted
 * @param startedAt when it first started training
 * @param finishedAt when it ended
 * @param cancelRequested whether cancellation was asked for
 * @param attempts how many times a process started running it (more than one after a
 * crash)
 * @param replica the replica ({@code elman.instance-id}) that runs the job, or ran it
 * last; null before it starts
 * @param spec the architecture
 * @param settings the training settings
 * @param corpus the corpus, with its size and checksum
 * @param progress the latest progress of a running job
 * @param history one report per finished epoch
 * @param resumedAfterEpoch the epoch a restart resumed after, if it did
 * @param result the published model, once succeeded
 * @param error why it failed
 * @param idempotencyKey the client's idempotency key, not shown
 * @param requestFingerprint a checksum of the request, to tell a true retry from a
 * different request with the same key; not shown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJob(String id, String model, JobState state, Instant createdAt, Instant startedAt,
		Instant finishedAt, boolean cancelRequested, int attempts, String replica, ModelSpec spec,
		TrainingSettings settings, CorpusInfo corpus, JobProgress progress, List<EpochReport> history,
		Integer resumedAfterEpoch, JobResult result, String error, @JsonIgnore String idempotencyKey,
		@JsonIgnore String requestFingerprint) {

	/**
	 * The same job with a history.
	 * @param epochs its finished epochs
	 * @return the job
	 */
	TrainingJob withHistory(List<EpochReport> epochs) {
		return new TrainingJob(this.id, this.model, this.state, this.createdAt, this.startedAt, this.finishedAt,
				this.cancelRequested, this.attempts, this.replica, this.spec, this.settings, this.corpus, this.progress,
				epochs, this.resumedAfterEpoch, this.result, this.error, this.idempotencyKey, this.requestFingerprint);
	}

	/**
	 * The same job without its per-epoch history, for lists.
	 * @return the summary
	 */
	TrainingJob summary() {
		return new TrainingJob(this.id, this.model, this.state, this.createdAt, this.startedAt, this.finishedAt,
				this.cancelRequested, this.attempts, this.replica, this.spec, this.settings, this.corpus, this.progress,
				null, this.resumedAfterEpoch, this.result, this.error, this.idempotencyKey, this.requestFingerprint);
	}

	/**
	 * The published model of a succeeded job.
	 *
	 * @param model the model name
	 * @param version the version
	 */
	public record JobResult(String model, int version) {

	}

}

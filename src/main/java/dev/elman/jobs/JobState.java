package dev.elman.jobs;

/**
 * Where a training job is in its life.
 */
public enum JobState {

	/** Accepted and waiting for a training slot. */
	QUEUED,

	/** Training; after a crash it resumes from its last epoch checkpoint. */
	RUNNING,

	/** Trained and published as a new model version. */
	SUCCEEDED,

	/** Stopped by an error; {@code error} says which. */
	FAILED,

	/** Stopped on request; nothing was published. */
	CANCELLED;

	boolean isFinished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

}

package dev.elman.jobs;

/**
 * The job has already ended and cannot be cancelled.
 */
public class JobFinishedException extends RuntimeException {

	JobFinishedException(TrainingJob job) {
		super("Training job '" + job.id() + "' has already ended (" + job.state() + ") and cannot be cancelled.");
	}

}

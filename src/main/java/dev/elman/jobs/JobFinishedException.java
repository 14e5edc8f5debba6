package dev.elman.jobs;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceProblem;

import org.springframework.http.HttpStatus;

/**
 * The job has already ended and cannot be cancelled.
 */
public class JobFinishedException extends ServiceProblem {

	JobFinishedException(TrainingJob job) {
		super(HttpStatus.CONFLICT, ProblemTypes.JOB_FINISHED, "Job already ended",
				"Training job '" + job.id() + "' has already ended (" + job.state() + ") and cannot be cancelled.");
	}

}

package dev.elman.jobs;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceProblem;

import org.springframework.http.HttpStatus;

/**
 * No job of that id.
 */
public class JobNotFoundException extends ServiceProblem {

	JobNotFoundException(String id) {
		super(HttpStatus.NOT_FOUND, ProblemTypes.JOB_NOT_FOUND, "Not found", "There is no training job '" + id + "'.");
	}

}

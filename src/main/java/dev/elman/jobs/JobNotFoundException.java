package dev.elman.jobs;

/**
 * No job of that id.
 */
public class JobNotFoundException extends RuntimeException {

	JobNotFoundException(String id) {
		super("There is no training job '" + id + "'.");
	}

}

package dev.elman.jobs;

/**
 * A job stopped because its process is shutting down; it stays running in the database
 * and resumes from its last checkpoint at the next start.
 */
class JobInterruptedException extends RuntimeException {

	JobInterruptedException(String id) {
		super("Training job " + id + " was interrupted by a shutdown and will resume at the next start");
	}

}

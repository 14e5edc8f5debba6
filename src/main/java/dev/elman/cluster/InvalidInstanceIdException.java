package dev.elman.cluster;

/**
 * {@code elman.instance-id} cannot name this replica: it would not fit a metric tag or
 * the job table's column.
 */
public class InvalidInstanceIdException extends IllegalArgumentException {

	InvalidInstanceIdException(String message) {
		super(message);
	}

}

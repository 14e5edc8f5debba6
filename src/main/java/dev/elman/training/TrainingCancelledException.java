package dev.elman.training;

/**
 * Thrown when a run sees its cancellation flag between two steps.
 */
public class TrainingCancelledException extends RuntimeException {

	TrainingCancelledException(int epoch, int step) {
		super("Training was cancelled in epoch " + epoch + " before step " + step);
	}

}

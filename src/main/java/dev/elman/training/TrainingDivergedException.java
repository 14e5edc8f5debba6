package dev.elman.training;

/**
 * Thrown when a step's gradient is not a finite number; the weights are left as they were
 * before that step.
 */
public class TrainingDivergedException extends RuntimeException {

	TrainingDivergedException(int epoch, int step) {
		super("Training diverged in epoch " + epoch + " at step " + step
				+ ": the gradient is not a finite number. Lower learningRate or set clipNorm.");
	}

}

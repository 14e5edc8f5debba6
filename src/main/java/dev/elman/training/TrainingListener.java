package dev.elman.training;

/**
 * Hears about a training run as it goes; called on the training thread, so keep it quick.
 */
public interface TrainingListener {

	/** A listener that ignores everything. */
	TrainingListener NONE = new TrainingListener() {
	};

	/**
	 * Called after every step; rate-limit in the listener if needed.
	 * @param progress where the run stands
	 */
	default void onStep(StepProgress progress) {
	}

	/**
	 * Called after every epoch, once its checkpoint is written.
	 * @param report the epoch's results
	 */
	default void onEpoch(EpochReport report) {
	}

	/**
	 * Called once before training when the run continues from a checkpoint.
	 * @param completedEpochs the epochs the checkpoint had finished
	 */
	default void onResume(int completedEpochs) {
	}

}

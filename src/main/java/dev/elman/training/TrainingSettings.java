package dev.elman.training;

import dev.elman.http.InvalidFieldException;
import dev.elman.model.RecurrentInitialization;

/**
 * How to train: optimisation, truncation, clipping, the held-out split and early
 * stopping.
 *
 * @param epochs passes over the training split
 * @param batchSize pairs per step
 * @param batchTokens the most symbols a step may hold, counted as its pairs times the
 * batch's longest source plus longest target and the end symbol (what the padded arrays
 * hold); a batch closes when the next pair would exceed it or {@code batchSize}. 0 cuts
 * by {@code batchSize} alone. A pair larger than the budget trains alone
 * @param learningRate Adam's learning rate, the peak of a schedule
 * @param learningRateSchedule how the rate moves through the run
 * @param warmupSteps optimizer steps over which the rate rises linearly from 0 at the
 * start, 0 for none
 * @param learningRateFloor the fraction of {@code learningRate} a decaying schedule ends
 * at
 * @param clipNorm the global L2 norm the gradient is clipped to
 * ({@code g *= clipNorm / |g|} when {@code |g| > clipNorm}); 0 turns clipping off
 * @param bpttWindow truncated backpropagation through time: at most this many steps per
 * unrolled piece; 0 backpropagates through whole sequences
 * @param validationFraction share of the corpus held out after the seeded shuffle (the
 * last {@code floor(n * fraction)} pairs); 0 holds out nothing
 * @param seed seeds the split, the epoch shuffles and the initial weights; the split
 * equals numpy's {@code np.random.seed(seed); np.random.shuffle(...)}
 * @param earlyStoppingPatience stop after this many epochs without a lower validation
 * loss and keep the best epoch's weights; 0 never stops early
 * @param maxVocabularySize the largest vocabulary, reserved symbols included, 0 for no
 * limit; the rarest symbols beyond it become unknown
 * @param keepBestWeights with a held-out split, the result holds the weights of the epoch
 * with the lowest validation loss rather than the last epoch's (early stopping always
 * keeps the best)
 * @param recurrentInitialization how the recurrent matrices start
 */
public record TrainingSettings(int epochs, int batchSize, int batchTokens, double learningRate,
		LearningRateSchedule learningRateSchedule, int warmupSteps, double learningRateFloor, double clipNorm,
		int bpttWindow, double validationFraction, int seed, int earlyStoppingPatience, int maxVocabularySize,
		boolean keepBestWeights, RecurrentInitialization recurrentInitialization) {

	/** Most epochs accepted. */
	public static final int MAX_EPOCHS = 100_000;

	/** Largest batch accepted. */
	public static final int MAX_BATCH_SIZE = 65_536;

	/** Largest token budget accepted. */
	public static final int MAX_BATCH_TOKENS = 1 << 24;

	/** Longest warm-up accepted. */
	public static final int MAX_WARMUP_STEPS = 10_000_000;

	/** Largest truncation window accepted. */
	public static final int MAX_BPTT_WINDOW = 1_000_000;

	/**
	 * Where the default cosine ends, as a fraction of the learning rate: chosen by
	 * measurement (see the README's quality runs).
	 */
	public static final double DEFAULT_FLOOR = 0.1;

	/** Largest vocabulary accepted. */
	public static final int MAX_VOCABULARY_SIZE = 1_000_000;

	/**
	 * Validates every field, naming the first one that is wrong.
	 */
	public TrainingSettings {
		InvalidFieldException.requireInRange("epochs", epochs, 1, MAX_EPOCHS);
		InvalidFieldException.requireInRange("batchSize", batchSize, 1, MAX_BATCH_SIZE);
		InvalidFieldException.requireInRange("batchTokens", batchTokens, 0, MAX_BATCH_TOKENS);
		if (!(learningRate > 0 && learningRate <= 10)) {
			throw new InvalidFieldException("learningRate",
					"must be greater than 0 and at most 10 (was " + learningRate + ")");
		}
		if (learningRateSchedule == null) {
			throw new InvalidFieldException("learningRateSchedule", "is required");
		}
		InvalidFieldException.requireInRange("warmupSteps", warmupSteps, 0, MAX_WARMUP_STEPS);
		InvalidFieldException.requireInRange("learningRateFloor", learningRateFloor, 0, 1);
		InvalidFieldException.requireInRange("clipNorm", clipNorm, 0, 1e9);
		InvalidFieldException.requireInRange("bpttWindow", bpttWindow, 0, MAX_BPTT_WINDOW);
		InvalidFieldException.requireInRange("validationFraction", validationFraction, 0, 0.9);
		InvalidFieldException.requireInRange("seed", seed, 0, Integer.MAX_VALUE);
		InvalidFieldException.requireInRange("earlyStoppingPatience", earlyStoppingPatience, 0, MAX_EPOCHS);
		if (recurrentInitialization == null) {
			throw new InvalidFieldException("recurrentInitialization", "is required");
		}
		if (maxVocabularySize != 0) {
			InvalidFieldException.requireInRange("maxVocabularySize", maxVocabularySize, 5, MAX_VOCABULARY_SIZE);
		}
	}

	/**
	 * Returns the book's setup: 25 epochs of batch 128, Adam 1e-3, clipping at 5, full
	 * backpropagation, 10% held out, seed 1984, no early stopping, no vocabulary limit;
	 * the best epoch's weights kept; orthogonal recurrent matrices.
	 * @return the defaults
	 */
	public static TrainingSettings defaults() {
		return new TrainingSettings(25, 128, 0, 1e-3, LearningRateSchedule.COSINE, 0, DEFAULT_FLOOR, 5.0, 0, 0.1, 1984,
				0, 0, true, RecurrentInitialization.ORTHOGONAL);
	}

	/**
	 * Returns the values of the fields that settings stored by an earlier version may
	 * lack: what those jobs ran with before each field existed (a constant rate, the last
	 * epoch's weights, no token budget, no warm-up, PyTorch's uniform recurrent
	 * matrices), else the defaults. A job or checkpoint read back then continues as it
	 * started.
	 * @return the settings to fill missing fields from
	 */
	public static TrainingSettings beforeTheirFields() {
		return defaults().withLearningRateSchedule(LearningRateSchedule.CONSTANT)
			.withKeepBestWeights(false)
			.withBatchTokens(0)
			.withWarmupSteps(0)
			.withRecurrentInitialization(RecurrentInitialization.UNIFORM);
	}

	/**
	 * Returns a copy with another epochs.
	 * @param value the epochs
	 * @return the copy
	 */
	public TrainingSettings withEpochs(int value) {
		return new TrainingSettings(value, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights, this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another batchSize.
	 * @param value the batch size
	 * @return the copy
	 */
	public TrainingSettings withBatchSize(int value) {
		return new TrainingSettings(this.epochs, value, this.batchTokens, this.learningRate, this.learningRateSchedule,
				this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow, this.validationFraction,
				this.seed, this.earlyStoppingPatience, this.maxVocabularySize, this.keepBestWeights,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another batchTokens.
	 * @param value the most symbols a batch may hold, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withBatchTokens(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, value, this.learningRate, this.learningRateSchedule,
				this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow, this.validationFraction,
				this.seed, this.earlyStoppingPatience, this.maxVocabularySize, this.keepBestWeights,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another learningRate.
	 * @param value the learning rate
	 * @return the copy
	 */
	public TrainingSettings withLearningRate(double value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, value, this.learningRateSchedule,
				this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow, this.validationFraction,
				this.seed, this.earlyStoppingPatience, this.maxVocabularySize, this.keepBestWeights,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another learningRateSchedule.
	 * @param value the schedule
	 * @return the copy
	 */
	public TrainingSettings withLearningRateSchedule(LearningRateSchedule value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, value,
				this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow, this.validationFraction,
				this.seed, this.earlyStoppingPatience, this.maxVocabularySize, this.keepBestWeights,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another warmupSteps.
	 * @param value the warm-up steps, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withWarmupSteps(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, value, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights, this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another learningRateFloor.
	 * @param value the fraction of the learning rate the schedule ends at
	 * @return the copy
	 */
	public TrainingSettings withLearningRateFloor(double value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, value, this.clipNorm, this.bpttWindow,
				this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights, this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another clipNorm.
	 * @param value the clipping norm, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withClipNorm(double value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, value, this.bpttWindow,
				this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights, this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another bpttWindow.
	 * @param value the truncation window, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withBpttWindow(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, value,
				this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights, this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another validationFraction.
	 * @param value the share held out
	 * @return the copy
	 */
	public TrainingSettings withValidationFraction(double value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				value, this.seed, this.earlyStoppingPatience, this.maxVocabularySize, this.keepBestWeights,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another seed.
	 * @param value the seed
	 * @return the copy
	 */
	public TrainingSettings withSeed(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				this.validationFraction, value, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights, this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another earlyStoppingPatience.
	 * @param value the patience, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withEarlyStoppingPatience(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				this.validationFraction, this.seed, value, this.maxVocabularySize, this.keepBestWeights,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another maxVocabularySize.
	 * @param value the largest vocabulary, 0 for no limit
	 * @return the copy
	 */
	public TrainingSettings withMaxVocabularySize(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				this.validationFraction, this.seed, this.earlyStoppingPatience, value, this.keepBestWeights,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another keepBestWeights.
	 * @param value true for the epoch with the lowest validation loss
	 * @return the copy
	 */
	public TrainingSettings withKeepBestWeights(boolean value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize, value,
				this.recurrentInitialization);
	}

	/**
	 * Returns a copy with another recurrentInitialization.
	 * @param value how the recurrent matrices start
	 * @return the copy
	 */
	public TrainingSettings withRecurrentInitialization(RecurrentInitialization value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate,
				this.learningRateSchedule, this.warmupSteps, this.learningRateFloor, this.clipNorm, this.bpttWindow,
				this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights, value);
	}

}

package dev.elman.training;

import dev.elman.http.InvalidFieldException;

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
 * @param learningRate Adam's learning rate
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
 */
public record TrainingSettings(int epochs, int batchSize, int batchTokens, double learningRate, double clipNorm,
		int bpttWindow, double validationFraction, int seed, int earlyStoppingPatience, int maxVocabularySize,
		boolean keepBestWeights) {

	/** Most epochs accepted. */
	public static final int MAX_EPOCHS = 100_000;

	/** Largest batch accepted. */
	public static final int MAX_BATCH_SIZE = 65_536;

	/** Largest token budget accepted. */
	public static final int MAX_BATCH_TOKENS = 1 << 24;

	/** Largest truncation window accepted. */
	public static final int MAX_BPTT_WINDOW = 1_000_000;

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
		InvalidFieldException.requireInRange("clipNorm", clipNorm, 0, 1e9);
		InvalidFieldException.requireInRange("bpttWindow", bpttWindow, 0, MAX_BPTT_WINDOW);
		InvalidFieldException.requireInRange("validationFraction", validationFraction, 0, 0.9);
		InvalidFieldException.requireInRange("seed", seed, 0, Integer.MAX_VALUE);
		InvalidFieldException.requireInRange("earlyStoppingPatience", earlyStoppingPatience, 0, MAX_EPOCHS);
		if (maxVocabularySize != 0) {
			InvalidFieldException.requireInRange("maxVocabularySize", maxVocabularySize, 5, MAX_VOCABULARY_SIZE);
		}
	}

	/**
	 * Returns the book's setup: 25 epochs of batch 128, Adam 1e-3, clipping at 5, full
	 * backpropagation, 10% held out, seed 1984, no early stopping, no vocabulary limit;
	 * the best epoch's weights kept.
	 * @return the defaults
	 */
	public static TrainingSettings defaults() {
		return new TrainingSettings(25, 128, 0, 1e-3, 5.0, 0, 0.1, 1984, 0, 0, true);
	}

	/**
	 * Returns a copy with another number of epochs.
	 * @param value the epochs
	 * @return the copy
	 */
	public TrainingSettings withEpochs(int value) {
		return new TrainingSettings(value, this.batchSize, this.batchTokens, this.learningRate, this.clipNorm,
				this.bpttWindow, this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another batch size.
	 * @param value the batch size
	 * @return the copy
	 */
	public TrainingSettings withBatchSize(int value) {
		return new TrainingSettings(this.epochs, value, this.batchTokens, this.learningRate, this.clipNorm,
				this.bpttWindow, this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy that keeps the best epoch's weights or the last's.
	 * @param value true for the epoch with the lowest validation loss
	 * @return the copy
	 */
	public TrainingSettings withKeepBestWeights(boolean value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, this.clipNorm,
				this.bpttWindow, this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				value);
	}

	/**
	 * Returns a copy with another token budget per batch.
	 * @param value the most symbols a batch may hold, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withBatchTokens(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, value, this.learningRate, this.clipNorm,
				this.bpttWindow, this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another learning rate.
	 * @param value the learning rate
	 * @return the copy
	 */
	public TrainingSettings withLearningRate(double value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, value, this.clipNorm,
				this.bpttWindow, this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another clipping threshold.
	 * @param value the threshold, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withClipNorm(double value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, value,
				this.bpttWindow, this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another truncation window.
	 * @param value the window, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withBpttWindow(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, this.clipNorm,
				value, this.validationFraction, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another held-out share.
	 * @param value the share
	 * @return the copy
	 */
	public TrainingSettings withValidationFraction(double value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, this.clipNorm,
				this.bpttWindow, value, this.seed, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another seed.
	 * @param value the seed
	 * @return the copy
	 */
	public TrainingSettings withSeed(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, this.clipNorm,
				this.bpttWindow, this.validationFraction, value, this.earlyStoppingPatience, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another patience.
	 * @param value the patience, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withEarlyStoppingPatience(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, this.clipNorm,
				this.bpttWindow, this.validationFraction, this.seed, value, this.maxVocabularySize,
				this.keepBestWeights);
	}

	/**
	 * Returns a copy with another vocabulary limit.
	 * @param value the limit, 0 for none
	 * @return the copy
	 */
	public TrainingSettings withMaxVocabularySize(int value) {
		return new TrainingSettings(this.epochs, this.batchSize, this.batchTokens, this.learningRate, this.clipNorm,
				this.bpttWindow, this.validationFraction, this.seed, this.earlyStoppingPatience, value,
				this.keepBestWeights);
	}

}

package dev.elman.jobs;

import java.util.List;

import dev.elman.corpus.CorpusFormat;
import dev.elman.http.InvalidFieldException;
import dev.elman.model.Cell;
import dev.elman.model.ModelSpec;
import dev.elman.model.RecurrentInitialization;
import dev.elman.model.Tokenization;
import dev.elman.model.WeightSharing;
import dev.elman.training.LearningRateSchedule;
import dev.elman.training.TrainingSettings;

/**
 * A training request: the model name, the corpus (inline pairs, or text in a format; or,
 * for an upload, a file part beside these options) and any hyperparameters to change from
 * their defaults.
 *
 * @param name the name the model is published under
 * @param pairs the corpus as pairs
 * @param text the corpus as text in {@code format}
 * @param format {@code tsv} (the default), {@code jsonl} or {@code delimited}
 * @param delimiter the delimiter of the delimited format, {@code _} by default
 * @param keepPadding whether the delimited format keeps padding spaces
 * @param tokenization {@code char} or {@code word}
 * @param embeddingSize the embedding width
 * @param hiddenSize the recurrent state width
 * @param layers stacked recurrent layers
 * @param cell {@code rnn-tanh}, {@code rnn-relu}, {@code gru} or {@code lstm}
 * @param weightSharing {@code separate} or {@code tied}
 * @param reverseSource whether the encoder reads the source backwards
 * @param epochs passes over the training pairs
 * @param batchSize pairs per step
 * @param batchTokens the most padded symbols per step, 0 for no budget
 * @param learningRate Adam's learning rate
 * @param learningRateSchedule {@code constant}, {@code cosine}, {@code step} or
 * {@code plateau}
 * @param warmupSteps steps of linear warm-up, 0 for none
 * @param learningRateFloor the fraction of the rate a decaying schedule ends at
 * @param clipNorm the global gradient norm to clip to, 0 for none
 * @param bpttWindow truncated backpropagation window, 0 for none
 * @param validationFraction share of pairs held out
 * @param seed the seed of the split, the shuffles and the initial weights
 * @param earlyStoppingPatience epochs without improvement before stopping, 0 for none
 * @param maxVocabularySize the largest vocabulary, 0 for the service's limit
 * @param keepBestWeights whether the published weights are the best epoch's (by
 * validation loss) rather than the last's
 * @param recurrentInitialization {@code orthogonal} or {@code uniform}
 */
public record TrainRequest(String name, List<Pair> pairs, String text, CorpusFormat format, String delimiter,
		Boolean keepPadding, Tokenization tokenization, Integer embeddingSize, Integer hiddenSize, Integer layers,
		Cell cell, WeightSharing weightSharing, Boolean reverseSource, Integer epochs, Integer batchSize,
		Integer batchTokens, Double learningRate, LearningRateSchedule learningRateSchedule, Integer warmupSteps,
		Double learningRateFloor, Double clipNorm, Integer bpttWindow, Double validationFraction, Integer seed,
		Integer earlyStoppingPatience, Integer maxVocabularySize, Boolean keepBestWeights,
		RecurrentInitialization recurrentInitialization) {

	ModelSpec spec() {
		ModelSpec defaults = ModelSpec.defaults();
		return new ModelSpec(or(this.tokenization, defaults.tokenization()),
				or(this.embeddingSize, defaults.embeddingSize()), or(this.hiddenSize, defaults.hiddenSize()),
				or(this.layers, defaults.layers()), or(this.cell, defaults.cell()),
				or(this.weightSharing, defaults.weightSharing()), or(this.reverseSource, defaults.reverseSource()));
	}

	TrainingSettings settings(int vocabularyLimit) {
		TrainingSettings defaults = TrainingSettings.defaults();
		int vocabulary = or(this.maxVocabularySize, 0);
		if (vocabulary > vocabularyLimit) {
			throw new InvalidFieldException("maxVocabularySize",
					"must be at most " + vocabularyLimit + " (was " + vocabulary + ")");
		}
		return new TrainingSettings(or(this.epochs, defaults.epochs()), or(this.batchSize, defaults.batchSize()),
				or(this.batchTokens, defaults.batchTokens()), or(this.learningRate, defaults.learningRate()),
				or(this.learningRateSchedule, defaults.learningRateSchedule()),
				or(this.warmupSteps, defaults.warmupSteps()), or(this.learningRateFloor, defaults.learningRateFloor()),
				or(this.clipNorm, defaults.clipNorm()), or(this.bpttWindow, defaults.bpttWindow()),
				or(this.validationFraction, defaults.validationFraction()), or(this.seed, defaults.seed()),
				or(this.earlyStoppingPatience, defaults.earlyStoppingPatience()),
				(vocabulary == 0) ? vocabularyLimit : vocabulary, or(this.keepBestWeights, defaults.keepBestWeights()),
				or(this.recurrentInitialization, defaults.recurrentInitialization()));
	}

	CorpusFormat formatOrDefault() {
		return or(this.format, CorpusFormat.TSV);
	}

	private static <T> T or(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	/**
	 * One inline pair.
	 *
	 * @param source the input
	 * @param target the expected output
	 */
	public record Pair(String source, String target) {

	}

}

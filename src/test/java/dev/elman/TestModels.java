package dev.elman;

import java.io.IOException;
import java.util.List;

import ai.djl.Device;
import dev.elman.corpus.TextPair;
import dev.elman.model.ModelSpec;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.Vocabulary;
import dev.elman.training.Trainer;
import dev.elman.training.TrainingSettings;

/**
 * Models for tests outside the model package.
 */
public final class TestModels {

	private TestModels() {
	}

	/**
	 * An untrained model over the letters {@code a..e}; quick to make.
	 * @param seed the initialisation seed
	 * @return the model; close it
	 */
	public static Seq2SeqModel untrained(long seed) {
		return Seq2SeqModel.create(ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(16),
				Vocabulary.of(List.of("a", "b", "c", "d", "e")), Device.cpu(), seed);
	}

	/**
	 * A model that reverses 3-letter strings over {@code a..e}, trained in about a
	 * second.
	 * @return the model; close it
	 * @throws IOException never in practice
	 */
	public static Seq2SeqModel reversal() throws IOException {
		List<TextPair> corpus = TestCorpora.tinyReversal();
		TrainingSettings settings = TrainingSettings.defaults()
			.withEpochs(40)
			.withBatchSize(16)
			.withLearningRate(0.01)
			.withValidationFraction(0);
		return new Trainer(Device.cpu())
			.train(corpus, ModelSpec.defaults().withEmbeddingSize(16).withHiddenSize(64), settings, null, null, null)
			.model();
	}

}

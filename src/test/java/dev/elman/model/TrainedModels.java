package dev.elman.model;

import java.io.IOException;

import ai.djl.Device;
import dev.elman.TestCorpora;
import dev.elman.training.Trainer;
import dev.elman.training.TrainingSettings;

/**
 * Models trained for the tests that need sensible outputs.
 */
final class TrainedModels {

	private TrainedModels() {
	}

	/** Reverses 3-letter strings over {@code a..e}; trains in about a second. */
	static Seq2SeqModel reversal(ModelSpec spec) throws IOException {
		TrainingSettings settings = TrainingSettings.defaults()
			.withEpochs(40)
			.withBatchSize(16)
			.withLearningRate(0.01)
			.withValidationFraction(0);
		return new Trainer(Device.cpu()).train(TestCorpora.tinyReversal(), spec, settings, null, null, null).model();
	}

	static ModelSpec reversalSpec() {
		return ModelSpec.defaults().withEmbeddingSize(16).withHiddenSize(64);
	}

}

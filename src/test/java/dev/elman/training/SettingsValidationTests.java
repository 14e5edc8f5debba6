package dev.elman.training;

import dev.elman.http.InvalidFieldException;
import dev.elman.model.Cell;
import dev.elman.model.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SettingsValidationTests {

	@Test
	void rejectsAHiddenSizeOfZeroNamingTheField() {
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> ModelSpec.defaults().withHiddenSize(0))
			.withMessage("hiddenSize must be between 1 and 8192 (was 0)");
	}

	@Test
	void rejectsANegativeLearningRate() {
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withLearningRate(-0.001))
			.withMessage("learningRate must be greater than 0 and at most 10 (was -0.001)");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withLearningRate(Double.NaN))
			.withMessageStartingWith("learningRate");
	}

	@Test
	void rejectsAnUnknownCell() {
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> Cell.fromId("transformer"))
			.withMessage("cell must be one of rnn-tanh, rnn-relu, gru, lstm (was 'transformer')");
	}

	@Test
	void rejectsANegativeTruncationWindow() {
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withBpttWindow(-1))
			.withMessage("bpttWindow must be between 0 and 1000000 (was -1)");
	}

	@Test
	void rejectsOtherOutOfRangeSettingsNamingEachField() {
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withEpochs(0))
			.withMessageStartingWith("epochs ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withBatchSize(0))
			.withMessageStartingWith("batchSize ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withBatchTokens(-1))
			.withMessageStartingWith("batchTokens ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withBatchTokens(TrainingSettings.MAX_BATCH_TOKENS + 1))
			.withMessageStartingWith("batchTokens ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withClipNorm(-1))
			.withMessageStartingWith("clipNorm ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withValidationFraction(1.0))
			.withMessageStartingWith("validationFraction ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withSeed(-5))
			.withMessageStartingWith("seed ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withMaxVocabularySize(3))
			.withMessageStartingWith("maxVocabularySize ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withRecurrentInitialization(null))
			.withMessage("recurrentInitialization is required");
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> ModelSpec.defaults().withLayers(17))
			.withMessageStartingWith("layers ");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> ModelSpec.defaults().withEmbeddingSize(-3))
			.withMessageStartingWith("embeddingSize ");
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> ModelSpec.defaults().withCell(null))
			.withMessage("cell must be set");
	}

}

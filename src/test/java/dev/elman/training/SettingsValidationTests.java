package dev.elman.training;

import dev.elman.model.Cell;
import dev.elman.model.InvalidSettingException;
import dev.elman.model.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SettingsValidationTests {

	@Test
	void rejectsAHiddenSizeOfZeroNamingTheField() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> ModelSpec.defaults().withHiddenSize(0))
			.withMessage("hiddenSize must be between 1 and 8192 (was 0)");
	}

	@Test
	void rejectsANegativeLearningRate() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withLearningRate(-0.001))
			.withMessage("learningRate must be greater than 0 and at most 10 (was -0.001)");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withLearningRate(Double.NaN))
			.withMessageStartingWith("learningRate");
	}

	@Test
	void rejectsAnUnknownCell() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> Cell.fromId("transformer"))
			.withMessage("cell must be one of rnn-tanh, rnn-relu, gru, lstm (was 'transformer')");
	}

	@Test
	void rejectsANegativeTruncationWindow() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withBpttWindow(-1))
			.withMessage("bpttWindow must be between 0 and 1000000 (was -1)");
	}

	@Test
	void rejectsOtherOutOfRangeSettingsNamingEachField() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withEpochs(0))
			.withMessageStartingWith("epochs ");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withBatchSize(0))
			.withMessageStartingWith("batchSize ");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withClipNorm(-1))
			.withMessageStartingWith("clipNorm ");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withValidationFraction(1.0))
			.withMessageStartingWith("validationFraction ");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withSeed(-5))
			.withMessageStartingWith("seed ");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> TrainingSettings.defaults().withMaxVocabularySize(3))
			.withMessageStartingWith("maxVocabularySize ");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> ModelSpec.defaults().withLayers(17))
			.withMessageStartingWith("layers ");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> ModelSpec.defaults().withEmbeddingSize(-3))
			.withMessageStartingWith("embeddingSize ");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> ModelSpec.defaults().withCell(null))
			.withMessage("cell must be set");
	}

}

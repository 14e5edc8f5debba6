package dev.elman.training;

import dev.elman.http.InvalidFieldException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.data.Offset.offset;

class LearningRateScheduleTests {

	private final TrainingSettings cosine = TrainingSettings.defaults()
		.withLearningRate(0.002)
		.withLearningRateSchedule(LearningRateSchedule.COSINE)
		.withLearningRateFloor(0.25);

	@Test
	void aConstantRateStaysPut() {
		TrainingSettings constant = this.cosine.withLearningRateSchedule(LearningRateSchedule.CONSTANT);
		assertThat(LearningRateSchedule.CONSTANT.rate(constant, 1, 0)).isEqualTo(0.002);
		assertThat(LearningRateSchedule.CONSTANT.rate(constant, 9000, 0.99)).isEqualTo(0.002);
	}

	@Test
	void theCosineFallsFromTheRateToItsFloorOverTheRun() {
		assertThat(LearningRateSchedule.COSINE.rate(this.cosine, 1, 0)).isCloseTo(0.002, offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(this.cosine, 500, 0.5)).isCloseTo(0.002 * 0.625, offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(this.cosine, 1000, 1)).isCloseTo(0.002 * 0.25, offset(1e-12));
		double previous = Double.MAX_VALUE;
		for (int step = 1; step <= 100; step++) {
			double rate = LearningRateSchedule.COSINE.rate(this.cosine, step, (step - 1) / 100.0);
			assertThat(rate).isLessThanOrEqualTo(previous);
			previous = rate;
		}
	}

	@Test
	void aWarmUpRisesLinearlyAndThenHandsOver() {
		TrainingSettings warm = this.cosine.withWarmupSteps(10);
		assertThat(LearningRateSchedule.COSINE.rate(warm, 1, 0)).isCloseTo(0.0002, offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(warm, 5, 0)).isCloseTo(0.001, offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(warm, 11, 0)).isCloseTo(0.002, offset(1e-12));
	}

	@Test
	void outOfRangeSettingsAreNamed() {
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> this.cosine.withWarmupSteps(-1))
			.withMessageStartingWith("warmupSteps ");
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> this.cosine.withLearningRateFloor(1.5))
			.withMessageStartingWith("learningRateFloor ");
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> LearningRateSchedule.fromId("linear"))
			.withMessageStartingWith("learningRateSchedule ");
	}

}

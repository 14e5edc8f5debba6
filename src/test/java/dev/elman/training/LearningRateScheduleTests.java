package dev.elman.training;

import java.util.ArrayList;
import java.util.List;

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
		assertThat(LearningRateSchedule.CONSTANT.rate(constant, 1, 0, List.of())).isEqualTo(0.002);
		assertThat(LearningRateSchedule.CONSTANT.rate(constant, 9000, 0.99, List.of())).isEqualTo(0.002);
	}

	@Test
	void theCosineFallsFromTheRateToItsFloorOverTheRun() {
		assertThat(LearningRateSchedule.COSINE.rate(this.cosine, 1, 0, List.of())).isCloseTo(0.002, offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(this.cosine, 500, 0.5, List.of())).isCloseTo(0.002 * 0.625,
				offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(this.cosine, 1000, 1, List.of())).isCloseTo(0.002 * 0.25,
				offset(1e-12));
		double previous = Double.MAX_VALUE;
		for (int step = 1; step <= 100; step++) {
			double rate = LearningRateSchedule.COSINE.rate(this.cosine, step, (step - 1) / 100.0, List.of());
			assertThat(rate).isLessThanOrEqualTo(previous);
			previous = rate;
		}
	}

	@Test
	void aWarmUpRisesLinearlyAndThenHandsOver() {
		TrainingSettings warm = this.cosine.withWarmupSteps(10);
		assertThat(LearningRateSchedule.COSINE.rate(warm, 1, 0, List.of())).isCloseTo(0.0002, offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(warm, 5, 0, List.of())).isCloseTo(0.001, offset(1e-12));
		assertThat(LearningRateSchedule.COSINE.rate(warm, 11, 0, List.of())).isCloseTo(0.002, offset(1e-12));
	}

	@Test
	void stepDecayFallsToTheFloorInThreeDropsAQuarterThroughTheRunApart() {
		TrainingSettings step = this.cosine.withLearningRateSchedule(LearningRateSchedule.STEP);
		double drop = Math.cbrt(0.25);
		double[][] expected = { { 0, 1 }, { 0.2499, 1 }, { 0.25, drop }, { 0.5, drop * drop }, { 0.7499, drop * drop },
				{ 0.75, 0.25 }, { 0.999, 0.25 } };
		for (double[] point : expected) {
			assertThat(LearningRateSchedule.STEP.rate(step, 100, point[0], List.of())).as("at %s", point[0])
				.isCloseTo(0.002 * point[1], offset(1e-12));
		}
	}

	@Test
	void onAPlateauTheRateHalvesAfterTwoEpochsWithoutImprovementDownToTheFloor() {
		TrainingSettings plateau = this.cosine.withLearningRateSchedule(LearningRateSchedule.PLATEAU)
			.withLearningRateFloor(0.2);
		List<EpochReport> history = new ArrayList<>();
		// Validation losses: improving, then flat twice (halved), improving, flat four
		// times
		// (halved twice more, held at the floor 0.2 instead of 0.125).
		double[] losses = { 2.0, 1.5, 1.2, 1.2, 1.3, 1.0, 1.0, 1.0, 1.1, 1.0 };
		double[] rates = { 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2 };
		assertThat(LearningRateSchedule.PLATEAU.rate(plateau, 1, 0, history)).isEqualTo(0.002);
		for (int epoch = 1; epoch <= losses.length; epoch++) {
			history.add(report(epoch, 9.0, losses[epoch - 1]));
			assertThat(LearningRateSchedule.PLATEAU.rate(plateau, 10L * epoch, 0.5, history))
				.as("after epoch %d", epoch)
				.isCloseTo(0.002 * rates[epoch], offset(1e-12));
		}
		// An improvement smaller than a relative 1e-3 is none.
		List<EpochReport> creeping = List.of(report(1, 9, 1.0), report(2, 9, 0.9995), report(3, 9, 0.9991));
		assertThat(LearningRateSchedule.plateauReductions(creeping)).isEqualTo(1);
		// Without a held-out split, the training loss.
		List<EpochReport> trainOnly = List.of(report(1, 1.0, null), report(2, 1.0, null), report(3, 1.0, null));
		assertThat(LearningRateSchedule.plateauReductions(trainOnly)).isEqualTo(1);
	}

	private static EpochReport report(int epoch, double trainLoss, Double validationLoss) {
		return new EpochReport(epoch, trainLoss, validationLoss, null, null, new GradientReport(1, 1, 0, 0, 0),
				java.util.Map.of(), 1, 0, 1, 1, 0.002);
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

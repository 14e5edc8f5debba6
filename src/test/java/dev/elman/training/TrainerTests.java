package dev.elman.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ai.djl.Device;
import dev.elman.TestCorpora;
import dev.elman.corpus.TextPair;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.ParallelWork;
import dev.elman.model.Generation;
import dev.elman.model.ModelSpec;
import dev.elman.model.RecurrentInitialization;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.StopReason;
import dev.elman.model.WeightSharing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TrainerTests {

	private final Trainer trainer = new Trainer(Device.cpu());

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	static ModelSpec tinySpec() {
		return ModelSpec.defaults().withEmbeddingSize(16).withHiddenSize(64);
	}

	static TrainingSettings tinySettings() {
		return TrainingSettings.defaults()
			.withEpochs(40)
			.withBatchSize(16)
			.withLearningRate(0.01)
			.withValidationFraction(0);
	}

	@Test
	void learnsToReverseThreeLetterStringsExactly() throws Exception {
		List<TextPair> corpus = TestCorpora.tinyReversal();
		long started = System.nanoTime();
		TrainingResult result = this.trainer.train(corpus, tinySpec(), tinySettings(), null, null, null);
		double seconds = (System.nanoTime() - started) / 1e9;
		try (Seq2SeqModel model = result.model()) {
			List<Generation> outputs = model.newDecoder().decode(corpus.stream().map(TextPair::source).toList(), 10);
			long exact = 0;
			for (int i = 0; i < corpus.size(); i++) {
				if (outputs.get(i).text().equals(corpus.get(i).target())
						&& outputs.get(i).stopReason() == StopReason.END) {
					exact++;
				}
			}
			System.out.printf("tiny reversal: %d/%d exact after %d epochs in %.1f s%n", exact, corpus.size(),
					result.history().size(), seconds);
			assertThat(exact).isEqualTo(corpus.size());
		}
	}

	@Test
	void generalisesTheReversalToHeldOutStrings() throws Exception {
		TrainingResult result = this.trainer.train(TestCorpora.tinyReversal(), tinySpec(),
				tinySettings().withValidationFraction(0.2), null, null, null);
		try (Seq2SeqModel model = result.model()) {
			assertThat(result.validationPairs()).isEqualTo(25);
			assertThat(result.lastEpoch().exactMatch()).isEqualTo(1.0);
			assertThat(result.lastEpoch().tokenAccuracy()).isEqualTo(1.0);
		}
	}

	@Test
	void theSameSeedGivesTheSameLossCurve() throws Exception {
		TrainingSettings settings = smallSettings().withEpochs(3);
		List<EpochReport> first = trainAndClose(settings, null, null, null).history();
		List<EpochReport> second = trainAndClose(settings, null, null, null).history();
		assertThat(losses(second)).containsExactlyElementsOf(losses(first));
		List<EpochReport> otherSeed = trainAndClose(settings.withSeed(7), null, null, null).history();
		assertThat(losses(otherSeed)).isNotEqualTo(losses(first));
	}

	@Test
	void twoThreadsSharingEachStepFollowTheLossCurveOfOne() throws Exception {
		// Batches of 64: two slices of at least 16 rows each.
		TrainingSettings settings = smallSettings().withEpochs(3).withBatchSize(64);
		List<EpochReport> one = trainAndClose(settings, null, null, null).history();
		try (ParallelWork two = ParallelWork.of(2)) {
			TrainingResult result = new Trainer(Device.cpu(), two).train(TestCorpora.smallAddition(), tinySpec(),
					settings, null, null, null);
			result.model().close();
			List<Double> shared = losses(result.history());
			for (int i = 0; i < shared.size(); i++) {
				assertThat(shared.get(i)).isCloseTo(losses(one).get(i), org.assertj.core.data.Offset.offset(1e-4));
			}
			assertThat(shared).hasSameSizeAs(losses(one));
		}
	}

	@Test
	void aWindowLongerThanEverySequenceIsFullBackpropagation() throws Exception {
		TrainingSettings settings = smallSettings().withEpochs(2);
		List<EpochReport> full = trainAndClose(settings, null, null, null).history();
		List<EpochReport> wide = trainAndClose(settings.withBpttWindow(1000), null, null, null).history();
		List<EpochReport> narrow = trainAndClose(settings.withBpttWindow(1), null, null, null).history();
		assertThat(losses(wide)).containsExactlyElementsOf(losses(full));
		assertThat(losses(narrow)).isNotEqualTo(losses(full));
	}

	@Test
	void resumesFromTheLastCheckpointAndContinuesTheSameLossCurve(@TempDir Path folder) throws Exception {
		TrainingSettings settings = smallSettings().withEpochs(4);
		List<EpochReport> uninterrupted = trainAndClose(settings, null, null, null).history();

		AtomicInteger epochsSeen = new AtomicInteger();
		TrainingListener countEpochs = new TrainingListener() {
			@Override
			public void onEpoch(EpochReport report) {
				epochsSeen.set(report.epoch());
			}
		};
		assertThatExceptionOfType(TrainingCancelledException.class)
			.isThrownBy(() -> trainAndClose(settings, folder, countEpochs, () -> epochsSeen.get() == 2));

		AtomicInteger resumedAfter = new AtomicInteger(-1);
		TrainingListener resumes = new TrainingListener() {
			@Override
			public void onResume(int completedEpochs) {
				resumedAfter.set(completedEpochs);
			}
		};
		TrainingResult resumed = trainAndClose(settings, folder, resumes, null);
		assertThat(resumedAfter.get()).isEqualTo(2);
		assertThat(resumed.resumedAfterEpoch()).isEqualTo(2);
		assertThat(resumed.history()).extracting(EpochReport::epoch).containsExactly(1, 2, 3, 4);
		assertThat(losses(resumed.history())).containsExactlyElementsOf(losses(uninterrupted));
	}

	@Test
	void aRunStoppedMidEpochCheckpointsWhereItStandsAndResumesWithTheSameLossCurve(@TempDir Path folder)
			throws Exception {
		TrainingSettings settings = smallSettings().withEpochs(3);
		List<EpochReport> uninterrupted = trainAndClose(settings, null, null, null).history();

		AtomicInteger stepsInEpoch2 = new AtomicInteger();
		TrainingListener countSteps = onStepsOfEpoch(2, stepsInEpoch2::set);
		assertThatExceptionOfType(TrainingCancelledException.class)
			.isThrownBy(() -> trainAndClose(settings, folder, countSteps, () -> stepsInEpoch2.get() == 5))
			.withMessage("Training was cancelled in epoch 2 before step 6");
		try (var checkpoints = java.nio.file.Files.list(folder)) {
			// The checkpoints, beside the run's history (history.jsonl).
			assertThat(checkpoints.map((path) -> path.getFileName().toString())
				.filter((name) -> name.startsWith("epoch-"))).containsExactly("epoch-0001+000005");
		}

		List<Integer> resumedSteps = new ArrayList<>();
		TrainingListener recordSteps = onStepsOfEpoch(2, resumedSteps::add);
		TrainingResult resumed = trainAndClose(settings, folder, recordSteps, null);
		assertThat(resumedSteps.get(0)).isEqualTo(6);
		assertThat(resumed.resumedAfterEpoch()).isEqualTo(1);
		assertThat(resumed.history()).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
		assertThat(losses(resumed.history())).containsExactlyElementsOf(losses(uninterrupted));
		// The schedule continues where it stood, and falls to its floor.
		assertThat(resumed.history()).extracting(EpochReport::learningRate)
			.containsExactlyElementsOf(uninterrupted.stream().map(EpochReport::learningRate).toList());
		assertThat(resumed.history().get(0).learningRate()).isGreaterThan(resumed.lastEpoch().learningRate());
		assertThat(resumed.lastEpoch().learningRate()).isCloseTo(settings.learningRate() * settings.learningRateFloor(),
				org.assertj.core.data.Offset.offset(2e-4));
		// The exploding-step figures of the interrupted epoch continue too.
		assertThat(resumed.history()).extracting((report) -> report.gradients().largestLossIncrease())
			.containsExactlyElementsOf(
					uninterrupted.stream().map((report) -> report.gradients().largestLossIncrease()).toList());
		assertThat(resumed.history()).extracting((report) -> report.gradients().clippedSteps())
			.containsExactlyElementsOf(
					uninterrupted.stream().map((report) -> report.gradients().clippedSteps()).toList());
	}

	@Test
	void refusesACheckpointMadeOnAnotherCorpus(@TempDir Path folder) throws Exception {
		trainAndClose(smallSettings().withEpochs(1), folder, null, null);
		List<TextPair> other = new ArrayList<>(TestCorpora.smallAddition());
		other.remove(0);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.trainer.train(other, tinySpec(), smallSettings(), folder, null, null))
			.withMessage("The checkpoint was made on another corpus");
	}

	@Test
	void ignoresAHalfWrittenCheckpoint(@TempDir Path folder) throws Exception {
		trainAndClose(smallSettings().withEpochs(1), folder, null, null);
		java.nio.file.Files.createDirectories(folder.resolve("epoch-0002.partial"));
		TrainingResult result = trainAndClose(smallSettings().withEpochs(2), folder, null, null);
		assertThat(result.resumedAfterEpoch()).isEqualTo(1);
		assertThat(folder.resolve("epoch-0002.partial")).doesNotExist();
		assertThat(folder.resolve("epoch-0002")).isDirectory();
	}

	@Test
	void stopsWithinOneStepOfBeingCancelled() {
		AtomicInteger steps = new AtomicInteger();
		TrainingListener countSteps = new TrainingListener() {
			@Override
			public void onStep(StepProgress progress) {
				steps.incrementAndGet();
			}
		};
		assertThatExceptionOfType(TrainingCancelledException.class)
			.isThrownBy(() -> trainAndClose(smallSettings(), null, countSteps, () -> steps.get() >= 3))
			.withMessage("Training was cancelled in epoch 1 before step 4");
		assertThat(steps.get()).isEqualTo(3);
	}

	@Test
	void earlyStoppingKeepsTheWeightsOfTheBestEpoch() throws Exception {
		TrainingSettings settings = smallSettings().withEpochs(60).withLearningRate(0.05).withEarlyStoppingPatience(2);
		TrainingResult result = this.trainer.train(TestCorpora.smallAddition(), tinySpec(), settings, null, null, null);
		try (Seq2SeqModel model = result.model()) {
			List<EpochReport> history = result.history();
			EpochReport best = history.stream()
				.min((a, b) -> Double.compare(a.validationLoss(), b.validationLoss()))
				.orElseThrow();
			assertThat(result.stoppedEarly()).isTrue();
			assertThat(result.bestEpoch()).isEqualTo(best.epoch());
			assertThat(history).hasSize(best.epoch() + 2);
			PreparedCorpus data = PreparedCorpus.prepare(TestCorpora.smallAddition(), tinySpec(), settings);
			Evaluator.Metrics metrics = new Evaluator(data.validationSources, data.validationTargets, 64)
				.evaluate(model, model.newParameterStore(), model.newDecoder());
			assertThat(metrics.loss()).isCloseTo(best.validationLoss(), org.assertj.core.data.Offset.offset(1e-5));
		}
	}

	/**
	 * A run starts its recurrent matrices as its settings say: orthogonal by default. A
	 * learning rate of 1e-9 leaves them where they started.
	 */
	@Test
	void aRunStartsItsRecurrentMatricesAsItsSettingsSay() throws Exception {
		TrainingSettings still = smallSettings().withEpochs(1).withLearningRate(1e-9);
		TrainingResult orthogonal = this.trainer.train(TestCorpora.smallAddition(), tinySpec(), still, null, null,
				null);
		TrainingResult uniform = this.trainer.train(TestCorpora.smallAddition(), tinySpec(),
				still.withRecurrentInitialization(RecurrentInitialization.UNIFORM), null, null, null);
		try (Seq2SeqModel startedOrthogonal = orthogonal.model(); Seq2SeqModel startedUniform = uniform.model()) {
			assertThat(orthogonal.settings().recurrentInitialization()).isEqualTo(RecurrentInitialization.ORTHOGONAL);
			for (var matrix : startedOrthogonal.network().recurrentMatrices().values()) {
				float[] gram = matrix.getArray().transpose().matMul(matrix.getArray()).toFloatArray();
				assertThat(gram[0]).as(matrix.getName()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
				assertThat(gram[1]).as(matrix.getName()).isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-4f));
			}
			for (var matrix : startedUniform.network().recurrentMatrices().values()) {
				float[] gram = matrix.getArray().transpose().matMul(matrix.getArray()).toFloatArray();
				assertThat(gram[0]).as(matrix.getName()).isNotCloseTo(1f, org.assertj.core.data.Offset.offset(0.1f));
			}
		}
	}

	@Test
	void withAHeldOutSplitTheBestEpochsWeightsAreKeptUnlessTheLastAreAskedFor() throws Exception {
		// A constant learning rate high enough that later epochs do worse than an earlier
		// one (from PyTorch's uniform start: the orthogonal one trains this tiny corpus
		// too steadily to show it).
		TrainingSettings settings = smallSettings().withEpochs(12)
			.withLearningRate(0.1)
			.withLearningRateSchedule(LearningRateSchedule.CONSTANT)
			.withRecurrentInitialization(RecurrentInitialization.UNIFORM);
		PreparedCorpus data = PreparedCorpus.prepare(TestCorpora.smallAddition(), tinySpec(), settings);
		Evaluator evaluator = new Evaluator(data.validationSources, data.validationTargets, 64);
		TrainingResult best = this.trainer.train(TestCorpora.smallAddition(), tinySpec(), settings, null, null, null);
		try (Seq2SeqModel model = best.model()) {
			EpochReport lowest = best.history()
				.stream()
				.min((a, b) -> Double.compare(a.validationLoss(), b.validationLoss()))
				.orElseThrow();
			assertThat(lowest.epoch()).as("an earlier epoch was best").isLessThan(12);
			assertThat(best.bestEpoch()).isEqualTo(lowest.epoch());
			assertThat(best.history()).hasSize(12);
			assertThat(evaluator.evaluate(model, model.newParameterStore(), model.newDecoder()).loss())
				.isCloseTo(lowest.validationLoss(), org.assertj.core.data.Offset.offset(1e-5));
		}
		TrainingResult last = this.trainer.train(TestCorpora.smallAddition(), tinySpec(),
				settings.withKeepBestWeights(false), null, null, null);
		try (Seq2SeqModel model = last.model()) {
			assertThat(last.bestEpoch()).isEqualTo(12);
			assertThat(evaluator.evaluate(model, model.newParameterStore(), model.newDecoder()).loss())
				.isCloseTo(last.lastEpoch().validationLoss(), org.assertj.core.data.Offset.offset(1e-5));
		}
	}

	@Test
	void aRunResumedAfterItStoppedEarlyTrainsNoFurtherEpoch(@TempDir Path folder) throws Exception {
		TrainingSettings settings = smallSettings().withEpochs(60).withLearningRate(0.05).withEarlyStoppingPatience(2);
		TrainingResult stopped = trainAndClose(settings, folder, null, null);
		assertThat(stopped.stoppedEarly()).isTrue();
		// As after a crash between the last checkpoint and the publication: the run
		// starts again from its checkpoints.
		TrainingResult again = trainAndClose(settings, folder, null, null);
		assertThat(again.stoppedEarly()).isTrue();
		assertThat(again.bestEpoch()).isEqualTo(stopped.bestEpoch());
		assertThat(again.history()).extracting(EpochReport::epoch)
			.containsExactlyElementsOf(stopped.history().stream().map(EpochReport::epoch).toList());
	}

	@Test
	void reportsGradientNormsClippingAndTheLargestSingularValueOfEachRecurrentMatrix() throws Exception {
		List<StepProgress> steps = new ArrayList<>();
		TrainingListener recordSteps = new TrainingListener() {
			@Override
			public void onStep(StepProgress progress) {
				steps.add(progress);
			}
		};
		TrainingResult clippedAlways = trainAndClose(smallSettings().withEpochs(1).withClipNorm(1e-6), null,
				recordSteps, null);
		assertThat(clippedAlways.lastEpoch().gradients().clippedFraction()).isEqualTo(1.0);
		assertThat(clippedAlways.lastEpoch().gradients().clippedSteps()).isEqualTo(steps.size());
		steps.clear();
		TrainingResult result = this.trainer.train(TestCorpora.smallAddition(), tinySpec(),
				smallSettings().withEpochs(2).withClipNorm(0), null, recordSteps, null);
		List<StepProgress> secondEpoch = steps.stream().filter((step) -> step.epoch() == 2).toList();
		double largestIncrease = 0;
		for (int i = 1; i < secondEpoch.size(); i++) {
			largestIncrease = Math.max(largestIncrease, secondEpoch.get(i).loss() - secondEpoch.get(i - 1).loss());
		}
		assertThat(largestIncrease).as("some step's loss rose").isPositive();
		assertThat(result.lastEpoch().gradients().largestLossIncrease()).isCloseTo(largestIncrease,
				org.assertj.core.data.Offset.offset(1e-6));
		try (Seq2SeqModel model = result.model()) {
			GradientReport gradients = result.lastEpoch().gradients();
			assertThat(gradients.clippedFraction()).isZero();
			assertThat(gradients.clippedSteps()).isZero();
			assertThat(gradients.meanNorm()).isPositive().isLessThanOrEqualTo(gradients.maxNorm());
			assertThat(result.lastEpoch().spectralNorms()).containsOnlyKeys("encoder.layer0", "decoder.layer0");
			double expected = powerIteration(
					model.network().recurrentMatrices().get("decoder.layer0").getArray().toFloatArray(), 64);
			assertThat(result.lastEpoch().spectralNorms().get("decoder.layer0")).isCloseTo(expected,
					org.assertj.core.data.Offset.offset(1e-3));
		}
	}

	@Test
	void trainsEveryCellTiedOrSeparateAndStacked() throws Exception {
		for (dev.elman.model.Cell cell : dev.elman.model.Cell.values()) {
			for (WeightSharing sharing : WeightSharing.values()) {
				ModelSpec spec = tinySpec().withCell(cell).withWeightSharing(sharing).withLayers(2);
				TrainingResult result = this.trainer.train(TestCorpora.smallAddition(), spec,
						smallSettings().withEpochs(3), null, null, null);
				try (Seq2SeqModel model = result.model()) {
					List<EpochReport> history = result.history();
					assertThat(history.get(2).trainLoss()).as("%s %s", cell, sharing)
						.isLessThan(history.get(0).trainLoss());
					assertThat(result.lastEpoch().spectralNorms()).hasSize((sharing == WeightSharing.TIED) ? 2 : 4);
				}
			}
		}
	}

	private TrainingResult trainAndClose(TrainingSettings settings, Path folder, TrainingListener listener,
			java.util.function.BooleanSupplier cancelled) throws Exception {
		TrainingResult result = this.trainer.train(TestCorpora.smallAddition(), tinySpec(), settings, folder, listener,
				cancelled);
		result.model().close();
		return result;
	}

	@Test
	void aPlateauScheduleResumedMidEpochHalvesTheRateWhereTheUninterruptedRunDid(@TempDir Path folder)
			throws Exception {
		TrainingSettings settings = smallSettings().withEpochs(40)
			.withLearningRate(0.05)
			.withLearningRateSchedule(LearningRateSchedule.PLATEAU)
			.withLearningRateFloor(0.1);
		List<EpochReport> uninterrupted = trainAndClose(settings, null, null, null).history();
		List<Double> rates = uninterrupted.stream().map(EpochReport::learningRate).toList();
		// The run did meet a plateau, or this test would prove nothing.
		assertThat(rates.get(rates.size() - 1)).isLessThan(rates.get(0));

		AtomicInteger stepsInEpoch30 = new AtomicInteger();
		TrainingListener countSteps = onStepsOfEpoch(30, stepsInEpoch30::set);
		assertThatExceptionOfType(TrainingCancelledException.class)
			.isThrownBy(() -> trainAndClose(settings, folder, countSteps, () -> stepsInEpoch30.get() == 2));
		TrainingResult resumed = trainAndClose(settings, folder, null, null);
		assertThat(resumed.resumedAfterEpoch()).isEqualTo(29);
		assertThat(resumed.history()).extracting(EpochReport::learningRate).containsExactlyElementsOf(rates);
		assertThat(losses(resumed.history())).containsExactlyElementsOf(losses(uninterrupted));
	}

	/** A listener that hands each step number of one epoch to a consumer. */
	private static TrainingListener onStepsOfEpoch(int epoch, java.util.function.IntConsumer steps) {
		return new TrainingListener() {
			@Override
			public void onStep(StepProgress progress) {
				if (progress.epoch() == epoch) {
					steps.accept(progress.step());
				}
			}
		};
	}

	static TrainingSettings smallSettings() {
		return TrainingSettings.defaults().withEpochs(5).withBatchSize(32).withLearningRate(0.01);
	}

	private static List<Double> losses(List<EpochReport> history) {
		List<Double> losses = new ArrayList<>();
		for (EpochReport report : history) {
			losses.add(report.trainLoss());
			losses.add(report.validationLoss());
		}
		return losses;
	}

	/**
	 * The largest singular value of a square matrix, by power iteration on {@code W^T W}.
	 */
	private static double powerIteration(float[] matrix, int n) {
		double[] v = new double[n];
		java.util.Arrays.fill(v, 1.0);
		double sigma = 0;
		for (int iteration = 0; iteration < 2000; iteration++) {
			double[] wv = new double[n];
			for (int r = 0; r < n; r++) {
				for (int c = 0; c < n; c++) {
					wv[r] += matrix[r * n + c] * v[c];
				}
			}
			double[] wtwv = new double[n];
			for (int c = 0; c < n; c++) {
				for (int r = 0; r < n; r++) {
					wtwv[c] += matrix[r * n + c] * wv[r];
				}
			}
			double norm = 0;
			for (double x : wtwv) {
				norm += x * x;
			}
			norm = Math.sqrt(norm);
			for (int i = 0; i < n; i++) {
				v[i] = wtwv[i] / norm;
			}
			sigma = Math.sqrt(norm);
		}
		return sigma;
	}

}

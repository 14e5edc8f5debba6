package dev.elman.training;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.elman.engine.ParallelWork;
import dev.elman.model.Autograd;
import dev.elman.model.GreedyDecoder;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.SigmoidSpaceTraining;

/**
 * One training run's loop and bookkeeping; {@link Trainer} sets it up.
 */
final class TrainingRun implements AutoCloseable {

	/** Fewer rows than this per thread cost more in overhead than they save. */
	private static final int MIN_ROWS_PER_SLICE = 16;

	private final Seq2SeqModel model;

	private final PreparedCorpus data;

	private final TrainingSettings settings;

	private final TrainingListener listener;

	private final BooleanSupplier cancelled;

	private final Checkpoints checkpoints;

	private final ParameterStore parameterStore;

	private final ParallelWork workers;

	private final List<ParameterStore> workerStores = new ArrayList<>();

	private final List<Parameter> parameters;

	private final AdamOptimizer optimizer;

	private final BatchPlan plan;

	private final Evaluator evaluator;

	private final GreedyDecoder decoder;

	private final List<EpochReport> history = new ArrayList<>();

	private int firstEpoch = 1;

	private int resumedAfter;

	private PartialEpoch resumeWithin;

	private int bestEpoch;

	private Double bestLoss;

	private int sinceImprovement;

	private byte[] bestParameters;

	TrainingRun(Seq2SeqModel model, PreparedCorpus data, TrainingSettings settings, TrainingListener listener,
			BooleanSupplier cancelled, Checkpoints checkpoints, ParallelWork workers) {
		this.model = model;
		this.data = data;
		this.settings = settings;
		this.listener = (listener != null) ? listener : TrainingListener.NONE;
		this.cancelled = (cancelled != null) ? cancelled : () -> false;
		this.checkpoints = checkpoints;
		this.parameterStore = model.newParameterStore();
		this.workers = workers;
		// A parameter store is not thread-safe: one per thread that runs part of a step.
		for (int i = 0; i < workers.threads(); i++) {
			this.workerStores.add((i == 0) ? this.parameterStore : model.newParameterStore());
		}
		this.parameters = model.network().parametersInOrder();
		this.optimizer = new AdamOptimizer(model.flatParameters(), settings.learningRate(), model.manager());
		this.plan = new BatchPlan(data.trainSources, data.trainTargets, settings.batchSize(), settings.batchTokens());
		this.evaluator = data.hasValidation()
				? new Evaluator(data.validationSources, data.validationTargets, Math.max(settings.batchSize(), 256))
				: null;
		this.decoder = model.newDecoder(workers);
	}

	void restore(Path checkpoint, CheckpointState state) throws IOException {
		Checkpoints.readOptimizer(checkpoint, this.optimizer);
		this.bestParameters = Checkpoints.readBest(checkpoint);
		this.history.addAll((state.history() != null && !state.history().isEmpty()) ? state.history()
				: this.checkpoints.readHistory(state.epochsCompleted()));
		this.bestEpoch = state.bestEpoch();
		this.bestLoss = state.bestValidationLoss();
		this.sinceImprovement = state.epochsWithoutImprovement();
		this.firstEpoch = state.epochsCompleted() + 1;
		this.resumedAfter = state.epochsCompleted();
		this.resumeWithin = state.partial();
		this.listener.onResume(state.epochsCompleted());
	}

	private boolean patienceRanOut() {
		return this.settings.earlyStoppingPatience() > 0
				&& this.sinceImprovement >= this.settings.earlyStoppingPatience();
	}

	TrainingResult execute() throws IOException {
		// A run restored from the checkpoint its early stop wrote has nothing left to
		// train.
		boolean stoppedEarly = patienceRanOut() && this.firstEpoch <= this.settings.epochs();
		for (int epoch = this.firstEpoch; !stoppedEarly && epoch <= this.settings.epochs(); epoch++) {
			EpochReport report = epoch(epoch, (epoch == this.firstEpoch) ? this.resumeWithin : null);
			this.history.add(report);
			track(report);
			if (this.checkpoints != null) {
				this.checkpoints.appendHistory(report);
				this.checkpoints.write(state(epoch, null), this.model, this.optimizer, this.bestParameters);
			}
			this.listener.onEpoch(report);
			if (patienceRanOut()) {
				stoppedEarly = epoch < this.settings.epochs();
				break;
			}
		}
		Seq2SeqModel trained = keepBest();
		return new TrainingResult(trained, List.copyOf(this.history), this.bestEpoch, stoppedEarly, this.resumedAfter,
				this.data.trainSources.size(), this.data.validationSources.size(), this.data.fingerprint,
				this.settings);
	}

	/**
	 * Trains one epoch, from its start or from where a stopped run left it. A run stopped
	 * between two steps first writes a checkpoint of where it stands, so a shutdown loses
	 * no finished step.
	 */
	private EpochReport epoch(int epoch, PartialEpoch resumed) throws IOException {
		List<int[]> batches = this.plan.shuffled((int) ((this.settings.seed() + 1L + epoch) % Integer.MAX_VALUE));
		EpochTally tally = new EpochTally(resumed);
		int firstStep = (resumed != null) ? resumed.stepsDone() + 1 : 1;
		long started = System.nanoTime();
		for (int step = firstStep; step <= batches.size(); step++) {
			if (this.cancelled.getAsBoolean()) {
				if (this.checkpoints != null && step > firstStep) {
					PartialEpoch partial = tally.partial(epoch, step - 1, (System.nanoTime() - started) / 1e9);
					this.checkpoints.write(state(epoch - 1, partial), this.model, this.optimizer, this.bestParameters);
				}
				throw new TrainingCancelledException(epoch, step);
			}
			StepOutcome outcome = step(batches.get(step - 1), epoch, step, batches.size());
			tally.add(outcome);
			double seconds = tally.seconds((System.nanoTime() - started) / 1e9);
			this.listener.onStep(new StepProgress(epoch, this.settings.epochs(), step, batches.size(), outcome.loss(),
					outcome.norm(), outcome.tokens(), tally.tokens / seconds, tally.pairs / seconds, seconds,
					outcome.rate()));
		}
		double trainSeconds = tally.seconds((System.nanoTime() - started) / 1e9);
		long evaluationStarted = System.nanoTime();
		Evaluator.Metrics metrics = (this.evaluator != null)
				? this.evaluator.evaluate(this.model, this.parameterStore, this.decoder) : null;
		double validationSeconds = (System.nanoTime() - evaluationStarted) / 1e9;
		GradientReport gradients = new GradientReport(tally.normSum / batches.size(), tally.normMax,
				(double) tally.clipped / batches.size(), tally.clipped, tally.largestLossIncrease);
		return new EpochReport(epoch, tally.lossSum / tally.tokens, (metrics != null) ? metrics.loss() : null,
				(metrics != null) ? metrics.exactMatch() : null, (metrics != null) ? metrics.tokenAccuracy() : null,
				gradients, spectralNorms(), trainSeconds, validationSeconds, tally.tokens / trainSeconds,
				tally.pairs / trainSeconds, tally.lastRate);
	}

	/**
	 * One optimizer step. The rows are split among the workers; each runs the forward and
	 * backward pass of its share on the shared parameters, with the loss normalised by
	 * the whole batch's symbol count, so the parts' gradients add up to the whole
	 * batch's: returned and added in slice order by hand, accumulated by PyTorch through
	 * autograd (the same sum whichever part finishes first).
	 */
	private StepOutcome step(int[] members, int epoch, int step, int steps) {
		long tokens = this.plan.targetTokens(members);
		boolean byHand = byHand(members);
		List<int[]> parts = ParallelWork.cut(members, this.workers.slices(members.length, MIN_ROWS_PER_SLICE));
		try (NDManager arrays = this.model.manager().newSubManager()) {
			float loss = 0;
			NDArray handGradient = null;
			// Added in slice order, so the reported loss does not depend on which slice
			// ends first.
			for (Part part : this.workers.run(parts.size(), (slice) -> forwardBackward(parts.get(slice), tokens,
					this.workerStores.get(slice), byHand, arrays))) {
				loss += part.loss();
				if (part.gradient() != null) {
					handGradient = (handGradient == null) ? part.gradient() : handGradient.add(part.gradient());
				}
			}
			NDList gradients = new NDList(byHand ? handGradient : flatGradient(arrays));
			float norm = GradientClipping.globalNorm(gradients);
			if (!Float.isFinite(norm)) {
				throw new TrainingDivergedException(epoch, step);
			}
			boolean clipped = GradientClipping.clip(gradients, norm, this.settings.clipNorm());
			// How far through the run this step is: the schedule spans the epochs asked
			// for.
			double progress = (epoch - 1 + (double) (step - 1) / steps) / this.settings.epochs();
			double rate = this.settings.learningRateSchedule()
				.rate(this.settings, this.optimizer.steps() + 1, progress, this.history);
			this.optimizer.step(gradients.head(), rate);
			this.model.parametersChanged();
			return new StepOutcome(loss, norm, clipped, tokens, members.length, rate);
		}
	}

	/**
	 * Whether a step's rows are computed by hand in sigmoid space (see
	 * {@link SigmoidSpaceTraining}): decided for the whole batch, so its parts' gradients
	 * all land in one place; a batch too large for its one-hot matrices takes autograd.
	 */
	private boolean byHand(int[] members) {
		return HandWrittenStep.applies(this.model, this.plan, members, this.settings.bpttWindow());
	}

	/**
	 * Gathers the gradients into one array laid out as the flat parameters, and zeroes
	 * the parameters' own gradients for the next step.
	 */
	private NDArray flatGradient(NDManager arrays) {
		NDList pieces = new NDList(this.parameters.size());
		for (Parameter parameter : this.parameters) {
			NDArray gradient = parameter.getArray().getGradient();
			gradient.attach(arrays);
			pieces.add(gradient.reshape(-1));
		}
		NDArray flat = NDArrays.concat(pieces);
		for (Parameter parameter : this.parameters) {
			JniUtils.zeroGrad((PtNDArray) parameter.getArray());
		}
		return flat;
	}

	/**
	 * The forward and backward pass of some rows. By hand, the gradient comes back laid
	 * out as the flat parameters, on {@code step}'s manager; through autograd it is added
	 * to the parameters' own.
	 */
	private Part forwardBackward(int[] rows, long batchTokens, ParameterStore parameters, boolean byHand,
			NDManager step) {
		try (NDManager arrays = this.model.manager().newSubManager()) {
			if (byHand) {
				HandWrittenStep.Rows packed = HandWrittenStep.Rows.of(this.data.trainSources, this.data.trainTargets,
						rows);
				SigmoidSpaceTraining.Step result = packed.lossAndGradient(this.model, parameters, 1f / batchTokens,
						arrays);
				result.gradient().attach(step);
				return new Part(result.loss(), result.gradient());
			}
			try (Autograd recording = Autograd.recording()) {
				TeacherForcingBatch batch = TeacherForcingBatch.of(arrays, this.data.trainSources,
						this.data.trainTargets, rows);
				TeacherForcingBatch.Targets targets = batch.targets();
				NDArray logits = this.model.network()
					.teacherForced(parameters, batch.sources(), targets.decoderInputs(), this.settings.bpttWindow(),
							true);
				NDArray loss = SequenceLoss.maskedCrossEntropy(logits, targets.labels(), targets.mask(), batchTokens);
				Autograd.backward(loss);
				return new Part(loss.getFloat(), null);
			}
		}
	}

	private Map<String, Double> spectralNorms() {
		Map<String, Double> norms = new LinkedHashMap<>();
		this.model.network()
			.recurrentMatrices()
			.forEach((name, matrix) -> norms.put(name, SpectralNorm.largestSingularValue(matrix.getArray())));
		return norms;
	}

	/**
	 * Tracks the lowest validation loss; without a held-out split the last epoch is best.
	 */
	private void track(EpochReport report) {
		if (report.validationLoss() == null) {
			this.bestEpoch = report.epoch();
			return;
		}
		if (this.bestLoss == null || report.validationLoss() < this.bestLoss) {
			this.bestLoss = report.validationLoss();
			this.bestEpoch = report.epoch();
			this.sinceImprovement = 0;
			if (keepsBest()) {
				this.bestParameters = this.model.parameterBytes();
			}
		}
		else {
			this.sinceImprovement++;
		}
	}

	private CheckpointState state(int epochsCompleted, PartialEpoch partial) {
		return new CheckpointState(epochsCompleted, this.data.fingerprint, this.model.spec(), this.settings,
				this.bestEpoch, this.bestLoss, this.sinceImprovement, null, partial);
	}

	private boolean keepsBest() {
		return this.settings.keepBestWeights() || this.settings.earlyStoppingPatience() > 0;
	}

	/**
	 * With a held-out split the result carries the best epoch's weights (unless asked for
	 * the last's); otherwise the last epoch's. A late epoch that a gradient spike threw
	 * off is then not what gets published.
	 */
	private Seq2SeqModel keepBest() throws IOException {
		int lastEpoch = this.history.isEmpty() ? 0 : this.history.get(this.history.size() - 1).epoch();
		if (!keepsBest() || this.bestParameters == null || this.bestEpoch == lastEpoch) {
			this.bestEpoch = keepsBest() ? this.bestEpoch : lastEpoch;
			return this.model;
		}
		Seq2SeqModel best = Seq2SeqModel.fromParameters(this.model.spec(), this.model.vocabulary(), this.model.device(),
				new ByteArrayInputStream(this.bestParameters));
		this.model.close();
		return best;
	}

	@Override
	public void close() {
		this.optimizer.close();
	}

	/** A part of a step's loss, and its gradient when computed by hand. */
	private record Part(float loss, NDArray gradient) {

	}

	private record StepOutcome(float loss, float norm, boolean clipped, long tokens, int pairs, double rate) {

	}

	/**
	 * The sums an epoch's report is made of, carried over when a run resumes mid-epoch.
	 */
	private static final class EpochTally {

		double lossSum;

		long tokens;

		long pairs;

		double normSum;

		double normMax;

		int clipped;

		Double lastLoss;

		double largestLossIncrease;

		double lastRate;

		final double earlierSeconds;

		EpochTally(PartialEpoch resumed) {
			if (resumed != null) {
				this.lossSum = resumed.lossSum();
				this.tokens = resumed.tokens();
				this.pairs = resumed.pairs();
				this.normSum = resumed.normSum();
				this.normMax = resumed.normMax();
				this.clipped = resumed.clipped();
				this.lastLoss = resumed.lastLoss();
				this.largestLossIncrease = resumed.largestLossIncrease();
			}
			this.earlierSeconds = (resumed != null) ? resumed.trainSeconds() : 0;
		}

		void add(StepOutcome outcome) {
			this.lossSum += outcome.loss() * outcome.tokens();
			this.tokens += outcome.tokens();
			this.pairs += outcome.pairs();
			this.normSum += outcome.norm();
			this.normMax = Math.max(this.normMax, outcome.norm());
			this.clipped += outcome.clipped() ? 1 : 0;
			if (this.lastLoss != null) {
				this.largestLossIncrease = Math.max(this.largestLossIncrease, outcome.loss() - this.lastLoss);
			}
			this.lastLoss = (double) outcome.loss();
			this.lastRate = outcome.rate();
		}

		double seconds(double sinceStart) {
			return this.earlierSeconds + sinceStart;
		}

		PartialEpoch partial(int epoch, int stepsDone, double sinceStart) {
			return new PartialEpoch(epoch, stepsDone, this.lossSum, this.tokens, this.pairs, this.normSum, this.normMax,
					this.clipped, seconds(sinceStart), this.lastLoss, this.largestLossIncrease);
		}

	}

}

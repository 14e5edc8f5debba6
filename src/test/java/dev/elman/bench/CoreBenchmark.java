package dev.elman.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.elman.corpus.CorpusFormatException;
import dev.elman.corpus.CorpusFormat;
import dev.elman.corpus.CorpusReader;
import dev.elman.corpus.TextPair;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.DeviceSetting;
import dev.elman.engine.EngineProperties;
import dev.elman.engine.ParallelWork;
import dev.elman.model.Cell;
import dev.elman.model.GreedyDecoder;
import dev.elman.model.ModelSpec;
import dev.elman.model.RecurrentInitialization;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.TextCodec;
import dev.elman.model.WeightSharing;
import dev.elman.training.EpochReport;
import dev.elman.training.Trainer;
import dev.elman.training.TrainingListener;
import dev.elman.training.TrainingResult;
import dev.elman.training.LearningRateSchedule;
import dev.elman.training.TrainingSettings;

/**
 * Trains the book's addition setup and prints training throughput, held-out accuracy and
 * batched greedy decoding speed, in the same terms as {@code torch_ref_seq2seq.py}.
 *
 * <p>
 * Options:
 * {@code --data FILE --format tsv|jsonl|delimited --epochs N --threads N --reverse --tied --keep-padding
 * --cell rnn-tanh --decode-batch 256 --decode-seconds 3 --batch 128 --hidden 128 --embed 16 --seed 1984
 * --schedule cosine|constant|step|plateau --floor 0.25 --learning-rate 1e-3 --clip 5 --warmup 0
 * --recurrent-init orthogonal|uniform --workers 2 --warm-jvm-epochs 0 --mkl-avx512-on-amd true};
 * the training settings not given are the service's defaults.
 *
 * <p>
 * {@code --warm-jvm-epochs N} first trains a throwaway model for N epochs, so the run
 * measured is one in a JVM that has compiled this code already, as in a service that has
 * trained before: in a fresh JVM the just-in-time compiler takes the second core for much
 * of the first minute.
 */
public final class CoreBenchmark {

	private CoreBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		ComputeEngine engine = ComputeEngine.start(new EngineProperties(DeviceSetting.valueOf(options.device),
				options.threads, 1, Path.of("target", "bench-data"), null, options.mklAvx512OnAmd));
		List<TextPair> corpus = read(options);
		ModelSpec spec = ModelSpec.defaults()
			.withEmbeddingSize(options.embed)
			.withHiddenSize(options.hidden)
			.withCell(Cell.fromId(options.cell))
			.withWeightSharing(options.tied ? WeightSharing.TIED : WeightSharing.SEPARATE)
			.withReverseSource(options.reverse);
		TrainingSettings settings = TrainingSettings.defaults()
			.withEpochs(options.epochs)
			.withLearningRateFloor(options.floor)
			.withLearningRateSchedule(LearningRateSchedule.fromId(options.schedule))
			.withBatchSize(options.batch)
			.withSeed(options.seed);
		if (options.learningRate != null) {
			settings = settings.withLearningRate(options.learningRate);
		}
		if (options.clip != null) {
			settings = settings.withClipNorm(options.clip);
		}
		if (options.warmup != null) {
			settings = settings.withWarmupSteps(options.warmup);
		}
		if (options.recurrentInit != null) {
			settings = settings.withRecurrentInitialization(RecurrentInitialization.fromId(options.recurrentInit));
		}
		System.out.printf(Locale.ROOT,
				"# elman %s %s on %s, intra-op threads %d, MKL %s, data %s (%d pairs, padding %s), spec %s, settings %s%n",
				engine.engineName(), engine.engineVersion(), engine.device(), engine.intraOpThreads(),
				engine.mklKernels(), options.data.getFileName(), corpus.size(),
				options.keepPadding ? "kept" : "stripped", spec, settings);
		TrainingListener printer = new TrainingListener() {
			@Override
			public void onEpoch(EpochReport report) {
				System.out.printf(Locale.ROOT,
						"epoch %3d | loss %.4f | val loss %.4f | train %.2fs | %9.0f tok/s | %8.0f pairs/s | val exact %.2f%% token %.2f%% (%.2fs) | grad mean %.3f max %.3f clipped %.0f%% (%d steps) largest loss rise %.3f | sigma_max %s%n",
						report.epoch(), report.trainLoss(), report.validationLoss(), report.trainSeconds(),
						report.tokensPerSecond(), report.pairsPerSecond(), 100 * report.exactMatch(),
						100 * report.tokenAccuracy(), report.validationSeconds(), report.gradients().meanNorm(),
						report.gradients().maxNorm(), 100 * report.gradients().clippedFraction(),
						report.gradients().clippedSteps(), report.gradients().largestLossIncrease(),
						report.spectralNorms());
			}
		};
		ParallelWork work = ParallelWork.of(options.workers);
		if (options.warmJvmEpochs > 0) {
			System.out.printf(Locale.ROOT, "# warming the JVM: a throwaway run of %d epoch(s)%n",
					options.warmJvmEpochs);
			TrainingSettings throwaway = settings.withEpochs(options.warmJvmEpochs).withSeed(options.seed + 1);
			new Trainer(engine.device(), work).train(corpus, spec, throwaway, null, TrainingListener.NONE, () -> false)
				.model()
				.close();
		}
		TrainingResult result = new Trainer(engine.device(), work).train(corpus, spec, settings, null, printer,
				() -> false);
		try (Seq2SeqModel model = result.model()) {
			List<EpochReport> steady = (result.history().size() > 1)
					? result.history().subList(1, result.history().size()) : result.history();
			double pairsPerSecond = steady.stream().mapToDouble(EpochReport::pairsPerSecond).average().orElse(0);
			double tokensPerSecond = steady.stream().mapToDouble(EpochReport::tokensPerSecond).average().orElse(0);
			double decodeRate = decodeThroughput(model, corpus, options);
			double idsRate = decodeIdsThroughput(model.newDecoder(), model, corpus, options);
			double parallelRate = decodeIdsThroughput(model.newDecoder(work), model, corpus, options);
			double latency = singleInputLatencyMillis(model, corpus);
			EpochReport last = result.lastEpoch();
			EpochReport kept = result.history().get(result.bestEpoch() - result.history().get(0).epoch());
			System.out.printf(Locale.ROOT,
					"RESULT epochs=%d kept_epoch=%d kept_val_exact=%.4f train_pairs_per_s=%.0f train_target_tokens_per_s=%.0f val_exact=%.4f val_token=%.4f decode_batch=%d decode_text_seq_per_s=%.0f decode_ids_seq_per_s=%.0f decode_ids_parallel_seq_per_s=%.0f decode_latency_ms=%.3f workers=%d params=%d%n",
					result.history().size(), kept.epoch(), (kept.exactMatch() != null) ? kept.exactMatch() : Double.NaN,
					pairsPerSecond, tokensPerSecond, last.exactMatch(), last.tokenAccuracy(), options.decodeBatch,
					decodeRate, idsRate, parallelRate, latency, work.threads(), model.network().parameterCount());
		}
	}

	/** Greedy decoding of held-out-sized chunks, as the reference does at batch 256. */
	private static double decodeThroughput(Seq2SeqModel model, List<TextPair> corpus, Options options) {
		List<String> inputs = new ArrayList<>();
		for (int i = corpus.size() - 5000; i < corpus.size(); i++) {
			inputs.add(corpus.get(i).source());
		}
		List<List<String>> chunks = new ArrayList<>();
		for (int from = 0; from + options.decodeBatch <= inputs.size(); from += options.decodeBatch) {
			chunks.add(inputs.subList(from, from + options.decodeBatch));
		}
		int maxLength = corpus.stream().mapToInt((pair) -> pair.target().length()).max().orElse(1);
		GreedyDecoder decoder = model.newDecoder();
		for (int i = 0; i < 2; i++) {
			decoder.decode(chunks.get(i), maxLength);
		}
		long sequences = 0;
		long started = System.nanoTime();
		double elapsed;
		do {
			for (List<String> chunk : chunks) {
				sequences += decoder.decode(chunk, maxLength).size();
			}
			elapsed = (System.nanoTime() - started) / 1e9;
		}
		while (elapsed < options.decodeSeconds);
		return sequences / elapsed;
	}

	/**
	 * The median time to decode one held-out input alone, text to text, over 200: the
	 * reference's "greedy latency", once warm. The reference warms up with 20 inputs;
	 * here single inputs are decoded for a second first, because they take their own path
	 * (on the heap) and, in a JVM whose compiler is still busy with the training code, 20
	 * are too few for it to reach that path (measured: 0.28 to 0.65 ms after a warm-up
	 * run against 0.026 once compiled).
	 */
	private static double singleInputLatencyMillis(Seq2SeqModel model, List<TextPair> corpus) {
		int maxLength = corpus.stream().mapToInt((pair) -> pair.target().length()).max().orElse(1);
		GreedyDecoder decoder = model.newDecoder();
		long warmUntil = System.nanoTime() + 1_000_000_000L;
		for (int k = 0; System.nanoTime() < warmUntil; k = (k + 1) % 5000) {
			decoder.decode(List.of(corpus.get(corpus.size() - 5000 + k).source()), maxLength);
		}
		double[] millis = new double[200];
		for (int k = 0; k < millis.length; k++) {
			String input = corpus.get(corpus.size() - 5000 + k).source();
			long started = System.nanoTime();
			decoder.decode(List.of(input), maxLength);
			millis[k] = (System.nanoTime() - started) / 1e6;
		}
		Arrays.sort(millis);
		return millis[millis.length / 2];
	}

	/** The same, from ids to ids, as the reference measures it (no text conversion). */
	private static double decodeIdsThroughput(GreedyDecoder decoder, Seq2SeqModel model, List<TextPair> corpus,
			Options options) {
		TextCodec codec = new TextCodec(model.spec(), model.vocabulary());
		List<List<long[]>> chunks = new ArrayList<>();
		List<long[]> current = new ArrayList<>();
		for (int i = corpus.size() - 5000; i < corpus.size(); i++) {
			current.add(codec.encodeSource(corpus.get(i).source()).ids());
			if (current.size() == options.decodeBatch) {
				chunks.add(current);
				current = new ArrayList<>();
			}
		}
		int maxLength = corpus.stream().mapToInt((pair) -> pair.target().length()).max().orElse(1);
		for (int i = 0; i < 2; i++) {
			decoder.decodeIds(chunks.get(i), maxLength);
		}
		long sequences = 0;
		long started = System.nanoTime();
		double elapsed;
		do {
			for (List<long[]> chunk : chunks) {
				sequences += decoder.decodeIds(chunk, maxLength).size();
			}
			elapsed = (System.nanoTime() - started) / 1e9;
		}
		while (elapsed < options.decodeSeconds);
		return sequences / elapsed;
	}

	private static List<TextPair> read(Options options) throws IOException, CorpusFormatException {
		try (Reader reader = Files.newBufferedReader(options.data, StandardCharsets.UTF_8)) {
			return CorpusReader.of(CorpusFormat.fromId(options.format), "_", options.keepPadding).read(reader);
		}
	}

	private static final class Options {

		Path data = Path.of("..", "shared", "datasets", "addition.txt");

		String format = "delimited";

		int epochs = 3;

		int threads = 1;

		boolean mklAvx512OnAmd = true;

		int batch = 128;

		int hidden = 128;

		int embed = 16;

		boolean reverse;

		boolean tied;

		boolean keepPadding;

		String cell = "rnn-tanh";

		String device = "cpu";

		int seed = 1984;

		int workers = 2;

		int decodeBatch = 256;

		double decodeSeconds = 3;

		double floor = TrainingSettings.DEFAULT_FLOOR;

		String schedule = "cosine";

		Double learningRate;

		Double clip;

		Integer warmup;

		String recurrentInit;

		int warmJvmEpochs;

		static Options parse(String[] args) {
			Options options = new Options();
			List<String> list = Arrays.asList(args);
			for (int i = 0; i < list.size(); i++) {
				String arg = list.get(i);
				switch (arg) {
					case "--data" -> options.data = Path.of(list.get(++i));
					case "--format" -> options.format = list.get(++i);
					case "--epochs" -> options.epochs = Integer.parseInt(list.get(++i));
					case "--threads" -> options.threads = Integer.parseInt(list.get(++i));
					case "--batch" -> options.batch = Integer.parseInt(list.get(++i));
					case "--hidden" -> options.hidden = Integer.parseInt(list.get(++i));
					case "--embed" -> options.embed = Integer.parseInt(list.get(++i));
					case "--reverse" -> options.reverse = true;
					case "--tied" -> options.tied = true;
					case "--keep-padding" -> options.keepPadding = true;
					case "--cell" -> options.cell = list.get(++i);
					case "--device" -> options.device = list.get(++i);
					case "--seed" -> options.seed = Integer.parseInt(list.get(++i));
					case "--workers" -> options.workers = Integer.parseInt(list.get(++i));
					case "--decode-batch" -> options.decodeBatch = Integer.parseInt(list.get(++i));
					case "--decode-seconds" -> options.decodeSeconds = Double.parseDouble(list.get(++i));
					case "--floor" -> options.floor = Double.parseDouble(list.get(++i));
					case "--schedule" -> options.schedule = list.get(++i);
					case "--learning-rate" -> options.learningRate = Double.parseDouble(list.get(++i));
					case "--clip" -> options.clip = Double.parseDouble(list.get(++i));
					case "--warmup" -> options.warmup = Integer.parseInt(list.get(++i));
					case "--recurrent-init" -> options.recurrentInit = list.get(++i);
					case "--mkl-avx512-on-amd" -> options.mklAvx512OnAmd = Boolean.parseBoolean(list.get(++i));
					case "--warm-jvm-epochs" -> options.warmJvmEpochs = Integer.parseInt(list.get(++i));
					default -> throw new IllegalArgumentException("Unknown option " + arg);
				}
			}
			return options;
		}

	}

}

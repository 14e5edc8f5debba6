package dev.elman.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.elman.corpus.CorpusFormat;
import dev.elman.corpus.CorpusReader;
import dev.elman.corpus.TextPair;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.EngineProperties;
import dev.elman.engine.ParallelWork;
import dev.elman.model.ModelSpec;
import dev.elman.model.Seq2SeqModel;
import dev.elman.training.Trainer;
import dev.elman.training.TrainingResult;
import dev.elman.training.TrainingSettings;

/**
 * Trains as a job does (the corpus read through a supplier, so its text can go once it is
 * ids) and prints the process's peak resident memory and the heap in use at the end. Run
 * it with a small {@code -Xmx} to see that the corpus fits.
 *
 * <p>
 * Options: {@code --data FILE --format tsv|jsonl|delimited --epochs N}.
 */
public final class TrainingMemory {

	private TrainingMemory() {
	}

	public static void main(String[] args) throws Exception {
		Path data = Path.of(args[0]);
		String format = (args.length > 1) ? args[1] : "delimited";
		int epochs = (args.length > 2) ? Integer.parseInt(args[2]) : 1;
		ComputeEngine engine = ComputeEngine.start(EngineProperties.onCpu(Path.of("target", "bench-data")));
		long started = System.nanoTime();
		TrainingResult result = new Trainer(engine.device(), ParallelWork.of(2)).train(() -> read(data, format),
				ModelSpec.defaults(), TrainingSettings.defaults().withEpochs(epochs), null, null, () -> false);
		try (Seq2SeqModel model = result.model()) {
			System.gc();
			Runtime runtime = Runtime.getRuntime();
			System.out.printf(Locale.ROOT,
					"RESULT data=%s bytes=%d pairs=%d epochs=%d seconds=%.1f pairs_per_s=%.0f peak_rss_mb=%.0f heap_used_mb=%.0f max_heap_mb=%.0f%n",
					data.getFileName(), Files.size(data), result.trainPairs() + result.validationPairs(), epochs,
					(System.nanoTime() - started) / 1e9, result.lastEpoch().pairsPerSecond(), peakResidentMb(),
					(runtime.totalMemory() - runtime.freeMemory()) / 1048576.0, runtime.maxMemory() / 1048576.0);
		}
	}

	private static List<TextPair> read(Path data, String format) {
		try (Reader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
			return CorpusReader.of(CorpusFormat.fromId(format), "_", false).read(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static double peakResidentMb() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

}

package dev.elman.bench;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import dev.elman.corpus.CorpusReader;
import dev.elman.corpus.TextPair;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.ParallelWork;
import dev.elman.model.ModelSpec;
import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
import dev.elman.registry.ResolvedVersion;
import dev.elman.training.Trainer;
import dev.elman.training.TrainingResult;
import dev.elman.training.TrainingSettings;

/**
 * Trains the book's addition model (reversed source) and publishes it to a registry
 * folder, for the generation benchmark. Arguments:
 * {@code DATA_FILE REGISTRY_ROOT MODEL_NAME EPOCHS}.
 */
public final class PublishAdditionModel {

	private PublishAdditionModel() {
	}

	public static void main(String[] args) throws Exception {
		Path data = Path.of(args[0]);
		Path root = Path.of(args[1]);
		String name = args[2];
		int epochs = Integer.parseInt(args[3]);
		ComputeEngine engine = ComputeEngine.startOnCpu();
		List<TextPair> corpus;
		try (Reader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
			corpus = CorpusReader.delimited("_", false).read(reader);
		}
		try (ParallelWork work = ParallelWork.of(2)) {
			TrainingResult result = new Trainer(engine.device(), work).train(corpus,
					ModelSpec.defaults().withReverseSource(true), TrainingSettings.defaults().withEpochs(epochs), null,
					null, null);
			try (Seq2SeqModel model = result.model();
					ModelRegistry registry = new ModelRegistry(root, Clock.systemUTC())) {
				ResolvedVersion version = registry.publish(name, model, result.metadata());
				System.out.printf("published %s version %d (held-out exact match %.2f%% after %d epochs)%n", name,
						version.version(), 100 * result.lastEpoch().exactMatch(), epochs);
			}
		}
	}

}

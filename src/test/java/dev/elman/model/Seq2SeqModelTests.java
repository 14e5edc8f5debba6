package dev.elman.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import dev.elman.engine.ComputeEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class Seq2SeqModelTests {

	private static final List<String> INPUTS = List.of("abc", "edc", "aa", "bcdea", "ca");

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@Test
	void aSavedModelLoadsAndDecodesExactlyWhatTheTrainedOneDid(@TempDir Path folder) throws Exception {
		for (ModelSpec spec : List.of(TrainedModels.reversalSpec(),
				TrainedModels.reversalSpec().withWeightSharing(WeightSharing.TIED).withReverseSource(true),
				TrainedModels.reversalSpec().withCell(Cell.LSTM).withLayers(2))) {
			Path saved = folder.resolve(spec.cell().id() + spec.weightSharing().id());
			List<Generation> before;
			byte[] parameters;
			try (Seq2SeqModel trained = TrainedModels.reversal(spec)) {
				before = trained.newDecoder().decode(INPUTS, 8);
				parameters = trained.parameterBytes();
				trained.save(saved, Map.of("note", "test"));
			}
			try (Seq2SeqModel loaded = Seq2SeqModel.load(saved, Device.cpu())) {
				assertThat(loaded.spec()).isEqualTo(spec);
				assertThat(loaded.newDecoder().decode(INPUTS, 8)).isEqualTo(before);
				assertThat(loaded.parameterBytes()).isEqualTo(parameters);
			}
			assertThat(ModelManifest.read(saved.resolve(Seq2SeqModel.MANIFEST_FILE)).metadata()).containsEntry("note",
					"test");
		}
	}

	@Test
	void theParameterCountIsKnownBeforeTheNetworkIsBuilt() {
		Vocabulary vocabulary = Vocabulary.of(List.of("a", "b", "c", "d", "e", "f", "g"));
		for (Cell cell : Cell.values()) {
			for (WeightSharing sharing : WeightSharing.values()) {
				for (int layers : List.of(1, 3)) {
					ModelSpec spec = ModelSpec.defaults()
						.withEmbeddingSize(5)
						.withHiddenSize(6)
						.withLayers(layers)
						.withCell(cell)
						.withWeightSharing(sharing);
					try (Seq2SeqModel model = Seq2SeqModel.create(spec, vocabulary, Device.cpu(), 1)) {
						assertThat(spec.parameterCount(vocabulary.size())).as("%s", spec)
							.isEqualTo(model.flatParameters().size());
					}
				}
			}
		}
	}

	@Test
	void refusesParametersThatDoNotFitTheManifest(@TempDir Path folder) throws Exception {
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small())) {
			model.save(folder, Map.of());
		}
		Path manifest = folder.resolve(Seq2SeqModel.MANIFEST_FILE);
		Files.writeString(manifest, Files.readString(manifest).replace("\"hiddenSize\" : 16", "\"hiddenSize\" : 32"));
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> Seq2SeqModel.load(folder, Device.cpu()))
			.withMessageContaining("does not fit the manifest");
	}

	@Test
	void refusesATruncatedParametersFile(@TempDir Path folder) throws Exception {
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small())) {
			model.save(folder, Map.of());
		}
		Path parameters = folder.resolve(Seq2SeqModel.PARAMETERS_FILE);
		byte[] bytes = Files.readAllBytes(parameters);
		Files.write(parameters, java.util.Arrays.copyOf(bytes, bytes.length / 2));
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> Seq2SeqModel.load(folder, Device.cpu()))
			.withMessageStartingWith("Unreadable model parameters");
	}

	@Test
	void refusesAManifestOfAnUnknownFormat(@TempDir Path folder) throws Exception {
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small())) {
			model.save(folder, Map.of());
		}
		Path manifest = folder.resolve(Seq2SeqModel.MANIFEST_FILE);
		Files.writeString(manifest,
				Files.readString(manifest).replace("\"formatVersion\" : 1", "\"formatVersion\" : 9"));
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> Seq2SeqModel.load(folder, Device.cpu()))
			.withMessageStartingWith("Unsupported model format 9");
		Files.writeString(manifest, "{ not json");
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> Seq2SeqModel.load(folder, Device.cpu()))
			.withMessageStartingWith("Not a valid model manifest");
	}

	@Test
	void everyParameterIsAViewOfOneFlatArray() {
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small().withLayers(2))) {
			float[] flat = model.flatParameters().toFloatArray();
			int offset = 0;
			for (ai.djl.nn.Parameter parameter : model.network().getParameters().values()) {
				float[] values = parameter.getArray().toFloatArray();
				assertThat(java.util.Arrays.copyOfRange(flat, offset, offset + values.length)).isEqualTo(values);
				offset += values.length;
			}
			assertThat(offset).isEqualTo(flat.length).isEqualTo((int) model.network().parameterCount());
			try (Autograd noGradients = Autograd.disabled()) {
				model.flatParameters().muli(0).addi(1);
			}
			for (ai.djl.nn.Parameter parameter : model.network().getParameters().values()) {
				assertThat(parameter.getArray().toFloatArray()).containsOnly(1f);
			}
		}
	}

}

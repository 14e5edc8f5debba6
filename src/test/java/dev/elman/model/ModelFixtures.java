package dev.elman.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Small models and id arrays for the model tests.
 */
final class ModelFixtures {

	private ModelFixtures() {
	}

	/** Letters {@code a..j}: ids 4 to 13. */
	static Vocabulary letters() {
		List<String> symbols = new ArrayList<>();
		for (char c = 'a'; c <= 'j'; c++) {
			symbols.add(Character.toString(c));
		}
		return Vocabulary.of(symbols);
	}

	static Seq2SeqModel untrained(ModelSpec spec) {
		return Seq2SeqModel.create(spec, letters(), Device.cpu(), 7);
	}

	/**
	 * The output layer's bias, a view into the model's parameters: set it to steer
	 * choices.
	 */
	static NDArray outputBias(Seq2SeqModel model) {
		return model.network()
			.getParameters()
			.stream()
			.filter((parameter) -> parameter.getKey().contains("output") && parameter.getKey().endsWith("bias"))
			.findFirst()
			.orElseThrow()
			.getValue()
			.getArray();
	}

	static ModelSpec small() {
		return ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(16);
	}

	/** A time-major {@code (steps, batch)} array of ids {@code 4 + (t + row) % 10}. */
	static NDArray ids(NDManager manager, int steps, int batch) {
		long[] ids = new long[steps * batch];
		for (int t = 0; t < steps; t++) {
			for (int row = 0; row < batch; row++) {
				ids[t * batch + row] = 4 + (t + row) % 10;
			}
		}
		return manager.create(ids, new Shape(steps, batch));
	}

}

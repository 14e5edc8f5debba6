package dev.elman.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * One contiguous array holding every parameter of a network; each parameter's array is a
 * view of its slice.
 *
 * <p>
 * An optimizer can then update all weights with a single fused kernel instead of one (of
 * a dozen small operations) per parameter, which matters when the matrices are as small
 * as these. Views are handed out through {@link #slices(Initializer)} in the order the
 * network initialises its parameters, which is the order of
 * {@link Seq2SeqNetwork#expectedShapes()}.
 */
final class FlatParameters {

	private final NDArray values;

	private final List<Shape> shapes;

	private final List<Long> starts = new ArrayList<>();

	private long offset;

	FlatParameters(NDManager manager, List<Shape> shapes) {
		long total = 0;
		for (Shape shape : shapes) {
			total += shape.size();
		}
		this.values = manager.zeros(new Shape(total), DataType.FLOAT32);
		this.shapes = List.copyOf(shapes);
	}

	NDArray values() {
		return this.values;
	}

	/**
	 * Returns an initializer that hands out the next slice as the parameter's array,
	 * filled with values drawn from {@code source}.
	 */
	Initializer slices(Initializer source) {
		return (manager, shape, dataType) -> {
			int index = this.starts.size();
			if (index >= this.shapes.size() || !this.shapes.get(index).equals(shape)) {
				throw new IllegalStateException("Parameter " + index + " of shape " + shape
						+ " does not match the expected layout " + this.shapes);
			}
			this.starts.add(this.offset);
			NDArray view = this.values.get(new NDIndex().addSliceDim(this.offset, this.offset + shape.size()))
				.reshape(shape);
			this.offset += shape.size();
			try (NDArray initial = source.initialize(manager, shape, dataType)) {
				copyInto(index, initial);
			}
			return view;
		};
	}

	/**
	 * Overwrites parameter {@code index} in place, so that its view sees the new values.
	 */
	void copyInto(int index, NDArray source) {
		long from = this.starts.get(index);
		try (NDArray flat = source.reshape(-1)) {
			this.values.set(new NDIndex().addSliceDim(from, from + this.shapes.get(index).size()), flat);
		}
	}

}

package dev.elman.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A few PyTorch operations called straight through DJL's PyTorch bindings, for code that
 * already knows its arrays' shapes.
 *
 * <p>
 * Why: DJL's own {@code NDArray} methods check their operands first, and a fresh result
 * does not know its shape until it asks the native side: {@code matMul} and
 * {@code transpose} ask each operand whether it is a scalar, {@code split} asks for the
 * length of the axis it cuts, {@code NDArrays.concat} compares every piece's shape, and
 * taking leading rows by {@code split} makes an array for the rest too. In a training
 * step by hand that was a third of the native calls (89 shape queries of 526 on the
 * book's addition); these make one call each and nothing besides their result. The arrays
 * must live on PyTorch's engine, which is the only one this service loads.
 */
final class DirectCalls {

	private DirectCalls() {
	}

	/** {@code a b}, 2-D operands. */
	static NDArray matMul(NDArray a, NDArray b) {
		return JniUtils.matmul((PtNDArray) a, (PtNDArray) b);
	}

	/** The transpose of a 2-D array, a view. */
	static NDArray transposed(NDArray a) {
		return JniUtils.transpose((PtNDArray) a, 0, 1);
	}

	/**
	 * Rows {@code from} to {@code to} (exclusive) of an array, a view. PyTorch clamps a
	 * range past the end rather than failing, so the caller must know the row count.
	 */
	static NDArray rows(NDArray a, long from, long to) {
		return JniUtils.slice((PtNDArray) a, 0, from, to, 1);
	}

	/**
	 * Cuts an array along its first axis into pieces of the given lengths, which must add
	 * up to that axis's length: nothing checks it, as DJL's {@code split} did not either.
	 * One length (or none) gives the array itself, not a view: do not change the piece in
	 * place while the array is still read elsewhere.
	 */
	static NDList splitRows(NDArray a, long[] lengths) {
		return (lengths.length <= 1) ? new NDList(a) : JniUtils.split((PtNDArray) a, lengths, 0);
	}

	/**
	 * The arrays joined along their first axis. A single one is returned itself, where
	 * DJL's {@code NDArrays.concat} copies it: do not change the result in place while
	 * that array is still read elsewhere.
	 */
	static NDArray concatRows(NDList arrays) {
		if (arrays.size() == 1) {
			return arrays.head();
		}
		PtNDArray[] pieces = new PtNDArray[arrays.size()];
		for (int i = 0; i < pieces.length; i++) {
			pieces[i] = (PtNDArray) arrays.get(i);
		}
		return JniUtils.cat(pieces, 0);
	}

	/** Two arrays joined along their first axis. */
	static NDArray concatRows(NDArray first, NDArray second) {
		return JniUtils.cat(new PtNDArray[] { (PtNDArray) first, (PtNDArray) second }, 0);
	}

}

package dev.elman.training;

import org.apache.commons.math3.random.MersenneTwister;

/**
 * Shuffles exactly as numpy's legacy {@code np.random.seed(seed); np.random.shuffle(x)}
 * does, so a held-out split can be the very one the book and the PyTorch reference
 * evaluate on.
 *
 * <p>
 * numpy seeds MT19937 with {@code init_genrand(seed)} (which commons-math's
 * {@code setSeed(int)} reproduces for seeds below 2^31), then runs Fisher-Yates from the
 * last element down, drawing each index by masked rejection sampling on 32-bit outputs.
 */
final class NumpyShuffle {

	private final MersenneTwister twister;

	/**
	 * Creates a generator seeded as {@code np.random.seed(seed)}.
	 * @param seed from 0 to {@link Integer#MAX_VALUE}
	 */
	NumpyShuffle(int seed) {
		if (seed < 0) {
			throw new IllegalArgumentException("seed must not be negative");
		}
		this.twister = new MersenneTwister(seed);
	}

	/**
	 * Returns {@code 0, 1, ..., n-1} shuffled, as
	 * {@code x = np.arange(n); np.random.shuffle(x)}.
	 * @param n the length
	 * @return the permutation
	 */
	int[] permutation(int n) {
		int[] values = new int[n];
		for (int i = 0; i < n; i++) {
			values[i] = i;
		}
		shuffle(values);
		return values;
	}

	/**
	 * Shuffles in place, as {@code np.random.shuffle}.
	 * @param values the values
	 */
	void shuffle(int[] values) {
		for (int i = values.length - 1; i > 0; i--) {
			int j = (int) interval(i);
			int swap = values[i];
			values[i] = values[j];
			values[j] = swap;
		}
	}

	/**
	 * numpy's {@code random_interval(max)} for {@code max < 2^32}: uniform on
	 * {@code [0, max]}.
	 */
	private long interval(long max) {
		long mask = max;
		mask |= mask >>> 1;
		mask |= mask >>> 2;
		mask |= mask >>> 4;
		mask |= mask >>> 8;
		mask |= mask >>> 16;
		long value;
		do {
			value = (this.twister.nextInt() & 0xFFFFFFFFL) & mask;
		}
		while (value > max);
		return value;
	}

}

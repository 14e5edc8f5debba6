package dev.elman.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers printed by numpy 2.4: {@code np.random.seed(s); x = np.arange(n);
 * np.random.shuffle(x)}.
 */
class NumpyShuffleTests {

	@Test
	void matchesNumpyForSmallArrays() {
		assertThat(new NumpyShuffle(0).permutation(10)).containsExactly(2, 8, 4, 9, 1, 6, 7, 3, 0, 5);
		assertThat(new NumpyShuffle(1984).permutation(20)).containsExactly(3, 12, 16, 11, 4, 13, 7, 17, 1, 0, 19, 9, 2,
				5, 14, 10, 18, 6, 8, 15);
		assertThat(new NumpyShuffle(Integer.MAX_VALUE).permutation(12)).containsExactly(6, 5, 7, 2, 4, 3, 1, 11, 0, 8,
				9, 10);
	}

	@Test
	void reproducesTheBooksSplitOfItsFiftyThousandLines() {
		int[] order = new NumpyShuffle(1984).permutation(50_000);
		assertThat(java.util.Arrays.copyOf(order, 5)).containsExactly(21921, 48929, 19568, 37778, 32165);
		assertThat(java.util.Arrays.copyOfRange(order, 49_990, 50_000)).containsExactly(14210, 35477, 37550, 36616,
				24230, 37960, 10009, 1779, 38655, 30319);
	}

}

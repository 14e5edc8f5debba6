package dev.elman.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPlanTests {

	/**
	 * 20,000 pairs with sources of 3 to 64 symbols and targets of 1 to 10, in random
	 * order.
	 */
	private static final List<long[]> SOURCES = new ArrayList<>();

	private static final List<long[]> TARGETS = new ArrayList<>();

	static {
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 20_000; i++) {
			SOURCES.add(new long[random.nextInt(3, 65)]);
			TARGETS.add(new long[random.nextInt(1, 11)]);
		}
	}

	private final BatchPlan plan = new BatchPlan(SOURCES, TARGETS, 128);

	@Test
	void everyEpochSeesEveryPairOnceInBatchesOfEvenSize() {
		List<int[]> batches = this.plan.shuffled(1985);
		int[] seen = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
		assertThat(seen).isEqualTo(IntStream.range(0, SOURCES.size()).toArray());
		assertThat(batches).allSatisfy((batch) -> assertThat(batch.length).isBetween(127, 128));
	}

	@Test
	void theSameSeedGivesTheSameBatchesAndAnotherSeedOthers() {
		List<int[]> first = this.plan.shuffled(1985);
		List<int[]> again = new BatchPlan(SOURCES, TARGETS, 128).shuffled(1985);
		assertThat(again).hasSameSizeAs(first);
		for (int i = 0; i < first.size(); i++) {
			assertThat(again.get(i)).isEqualTo(first.get(i));
		}
		assertThat(this.plan.shuffled(1986).get(0)).isNotEqualTo(first.get(0));
	}

	@Test
	void evaluationCoversEveryPairOnceInBatchesOfFewLengths() {
		List<int[]> batches = this.plan.inOrder();
		int[] seen = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
		assertThat(seen).isEqualTo(IntStream.range(0, SOURCES.size()).toArray());
		double lengthsPerBatch = batches.stream()
			.mapToLong((batch) -> Arrays.stream(batch).map((pair) -> SOURCES.get(pair).length).distinct().count())
			.average()
			.orElseThrow();
		assertThat(lengthsPerBatch).isLessThan(2.5);
	}

	@Test
	void aTokenBudgetHoldsEachBatchUnderItSoLongPairsComeInSmallerBatches() {
		int budget = 2048;
		List<int[]> batches = new BatchPlan(SOURCES, TARGETS, 128, budget).shuffled(1985);
		int[] seen = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
		assertThat(seen).isEqualTo(IntStream.range(0, SOURCES.size()).toArray());
		for (int i = 0; i < batches.size(); i++) {
			int[] batch = batches.get(i);
			assertThat(batch.length).isBetween(1, 128);
			assertThat(paddedSymbols(batch)).isLessThanOrEqualTo(budget);
			if (i + 1 < batches.size()) {
				// Closed only because the next pair would not have fitted.
				int[] grown = Arrays.copyOf(batch, batch.length + 1);
				grown[batch.length] = batches.get(i + 1)[0];
				assertThat(grown.length > 128 || paddedSymbols(grown) > budget).isTrue();
			}
		}
		// The same seed, the same batches: a resumed run sees what it would have seen.
		List<int[]> again = new BatchPlan(SOURCES, TARGETS, 128, budget).shuffled(1985);
		assertThat(again).hasSameSizeAs(batches);
		assertThat(again.get(7)).isEqualTo(batches.get(7));
	}

	@Test
	void aPairLargerThanTheBudgetTrainsAlone() {
		List<int[]> batches = new BatchPlan(SOURCES, TARGETS, 128, 10).shuffled(3);
		assertThat(batches).hasSize(SOURCES.size()).allSatisfy((batch) -> assertThat(batch).hasSize(1));
	}

	private static long paddedSymbols(int[] batch) {
		int source = Arrays.stream(batch).map((pair) -> SOURCES.get(pair).length).max().orElse(0);
		int target = Arrays.stream(batch).map((pair) -> TARGETS.get(pair).length).max().orElse(0);
		return (long) batch.length * (source + target + 1);
	}

}

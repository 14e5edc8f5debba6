package dev.elman.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PackedSequencesTests {

	@Test
	void givesBackEverySequenceAsAddedWhateverTheirLengths() {
		assertRoundTrip(70, 17);
	}

	@Test
	void idsBeyondSixteenBitsAreKeptInAWideVocabulary() {
		assertRoundTrip(1_000_000, 5);
	}

	@Test
	void aSequenceOutsideTheListIsAnError() {
		PackedSequences packed = new PackedSequences(10);
		packed.add(new long[] { 4, 5 });
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> packed.get(1));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> packed.length(-1));
	}

	private static void assertRoundTrip(int vocabulary, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<long[]> expected = new ArrayList<>();
		PackedSequences packed = new PackedSequences(vocabulary);
		// Enough to grow both the symbols and the offsets several times; empty ones too.
		for (int i = 0; i < 5000; i++) {
			long[] sequence = random.longs(random.nextInt(0, 80), 0, vocabulary).toArray();
			expected.add(sequence);
			packed.add(sequence);
		}
		assertThat(packed).hasSize(expected.size());
		for (int i = 0; i < expected.size(); i++) {
			assertThat(packed.get(i)).isEqualTo(expected.get(i));
			assertThat(packed.length(i)).isEqualTo(expected.get(i).length);
		}
	}

}

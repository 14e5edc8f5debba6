package dev.elman.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VocabularyTests {

	@Test
	void reservesPaddingBeginEndAndUnknownInFront() {
		Vocabulary vocabulary = Vocabulary.build(List.of(List.of("b", "a", "b")), 0);
		assertThat(vocabulary.size()).isEqualTo(Vocabulary.RESERVED + 2);
		assertThat(vocabulary.id("b")).isEqualTo(Vocabulary.RESERVED);
		assertThat(vocabulary.id("a")).isEqualTo(Vocabulary.RESERVED + 1);
		assertThat(vocabulary.id("zzz")).isEqualTo(Vocabulary.UNKNOWN);
		assertThat(List.of(Vocabulary.PAD, Vocabulary.BEGIN, Vocabulary.END, Vocabulary.UNKNOWN)).containsExactly(0, 1,
				2, 3);
	}

	@Test
	void aCorpusWordThatLooksLikeAReservedSymbolIsAnOrdinarySymbol() {
		Vocabulary vocabulary = Vocabulary.build(List.of(List.of("<eos>", "<pad>")), 0);
		assertThat(vocabulary.id("<eos>")).isNotEqualTo(Vocabulary.END).isGreaterThanOrEqualTo(Vocabulary.RESERVED);
		assertThat(vocabulary.text(vocabulary.id("<pad>"))).isEqualTo("<pad>");
		assertThat(vocabulary.text(Vocabulary.END)).isEmpty();
		assertThat(vocabulary.text(Vocabulary.UNKNOWN)).isEqualTo(Vocabulary.UNKNOWN_TEXT);
	}

	@Test
	void countsUnknownSymbolsWhenEncoding() {
		Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "b")), 0);
		Vocabulary.Encoded encoded = vocabulary.encode(List.of("a", "x", "b", "y"));
		assertThat(encoded.ids()).containsExactly(4, 3, 5, 3);
		assertThat(encoded.unknown()).isEqualTo(2);
	}

	@Test
	void aSizeLimitKeepsTheMostFrequentSymbolsInFirstAppearanceOrder() {
		Vocabulary vocabulary = Vocabulary.build(List.of(List.of("rare", "x", "y", "x", "y", "z", "y")), 6);
		assertThat(vocabulary.symbols()).containsExactly("x", "y");
		assertThat(vocabulary.id("rare")).isEqualTo(Vocabulary.UNKNOWN);
	}

	@Test
	void restoresFromItsSymbolList() {
		Vocabulary built = Vocabulary.build(List.of(List.of("q", "r")), 0);
		Vocabulary restored = Vocabulary.of(built.symbols());
		assertThat(restored.id("r")).isEqualTo(built.id("r"));
		assertThat(restored.size()).isEqualTo(built.size());
	}

	@Test
	void characterTokenizationSplitsCodePointsNotUtf16Units() {
		assertThat(Tokenization.CHARACTER.split("a😀b")).containsExactly("a", "😀", "b");
		assertThat(Tokenization.CHARACTER.join(List.of("a", "😀", " ", "b"))).isEqualTo("a😀 b");
	}

	@Test
	void wordTokenizationSplitsOnWhitespaceAndJoinsWithOneSpace() {
		assertThat(Tokenization.WORD.split("  the   cat\tsat ")).containsExactly("the", "cat", "sat");
		assertThat(Tokenization.WORD.split("   ")).isEmpty();
		assertThat(Tokenization.WORD.join(List.of("the", "cat"))).isEqualTo("the cat");
	}

	@Test
	void theCodecReversesSourcesOnlyWhenTheSpecSaysSo() {
		Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "b", "c")), 0);
		TextCodec forward = new TextCodec(ModelSpec.defaults(), vocabulary);
		TextCodec reversed = new TextCodec(ModelSpec.defaults().withReverseSource(true), vocabulary);
		assertThat(forward.encodeSource("abc").ids()).containsExactly(4, 5, 6);
		assertThat(reversed.encodeSource("abc").ids()).containsExactly(6, 5, 4);
		assertThat(reversed.encodeTarget("abc").ids()).containsExactly(4, 5, 6);
		assertThat(forward.decode(new int[] { 6, 3, 4 })).isEqualTo("c\uFFFDa");
	}

}

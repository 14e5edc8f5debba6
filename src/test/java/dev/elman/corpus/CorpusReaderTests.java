package dev.elman.corpus;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import dev.elman.http.InvalidFieldException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CorpusReaderTests {

	@Test
	void readsTabSeparatedPairsKeepingTheirSpaces() throws Exception {
		List<TextPair> pairs = read(CorpusReader.tsv(), "hello world\tbonjour \r\n\nabc\tcba\n");
		assertThat(pairs).containsExactly(new TextPair("hello world", "bonjour "), new TextPair("abc", "cba"));
	}

	@Test
	void rejectsATabSeparatedLineWithoutATabNamingItsLine() {
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.tsv(), "a\tb\n\nno tab here\n"))
			.withMessage("line 3: expected source<TAB>target but found no tab")
			.satisfies((ex) -> assertThat(ex.getLineNumber()).isEqualTo(3));
	}

	@Test
	void rejectsATabSeparatedLineWithTwoTabs() {
		assertThatExceptionOfType(CorpusFormatException.class).isThrownBy(() -> read(CorpusReader.tsv(), "a\tb\tc\n"))
			.withMessage("line 1: expected source<TAB>target but found more than one tab");
	}

	@Test
	void readsJsonLinesIgnoringOtherFields() throws Exception {
		List<TextPair> pairs = read(CorpusReader.jsonLines(),
				"{\"source\": \"1+1\", \"target\": \"2\", \"id\": 7}\n{\"target\":\"x\",\"source\":\"é\"}\n");
		assertThat(pairs).containsExactly(new TextPair("1+1", "2"), new TextPair("é", "x"));
	}

	@Test
	void rejectsJsonLinesThatAreNotPairs() {
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.jsonLines(), "{\"source\":\"a\",\"target\":\"b\"}\n{\"source\": 3}\n"))
			.withMessage("line 2: \"source\" must be a string");
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.jsonLines(), "[1, 2]\n"))
			.withMessage("line 1: expected a JSON object with \"source\" and \"target\"");
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.jsonLines(), "{\"source\":\n"))
			.withMessageStartingWith("line 1: not valid JSON");
	}

	@Test
	void splitsTheBooksFixedWidthLinesAtTheFirstDelimiterAndStripsThePadding() throws Exception {
		List<TextPair> pairs = read(CorpusReader.delimited("_", false),
				"16+75  _91  \nseptember 27, 1994           _1994-09-27\n");
		assertThat(pairs).containsExactly(new TextPair("16+75", "91"),
				new TextPair("september 27, 1994", "1994-09-27"));
	}

	@Test
	void keepsThePaddingWhenAsked() throws Exception {
		List<TextPair> pairs = read(CorpusReader.delimited("_", true), "16+75  _91  \n");
		assertThat(pairs).containsExactly(new TextPair("16+75  ", "91  "));
	}

	@Test
	void splitsAtTheFirstOccurrenceOfAMultiCharacterDelimiter() throws Exception {
		List<TextPair> pairs = read(CorpusReader.delimited(" => ", false), "a => b => c\n");
		assertThat(pairs).containsExactly(new TextPair("a", "b => c"));
	}

	@Test
	void rejectsALineWithoutTheDelimiter() {
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.delimited("_", false), "1+1_2\n2+2 4\n"))
			.withMessage("line 2: the delimiter '_' does not occur");
	}

	@Test
	void rejectsPairsWithAnEmptySide() {
		assertThatExceptionOfType(CorpusFormatException.class).isThrownBy(() -> read(CorpusReader.tsv(), "\tb\n"))
			.withMessage("line 1: the source is empty");
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.delimited("_", false), "abc_   \n"))
			.withMessage("line 1: the target is empty");
	}

	@Test
	void dropsAByteOrderMark() throws Exception {
		assertThat(read(CorpusReader.tsv(), "\uFEFFa\tb\n")).containsExactly(new TextPair("a", "b"));
	}

	@Test
	void stopsAtThePairLimit() {
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.tsv().withMaxPairs(2), "a\tb\nc\td\ne\tf\n"))
			.withMessage("line 3: the corpus has more than 2 pairs");
	}

	@Test
	void stopsAtALineLongerThanTheLimitBeforeReadingItWhole() {
		java.io.Reader endless = new java.io.Reader() {

			private long served;

			@Override
			public int read(char[] buffer, int offset, int length) {
				if (this.served > 1_000_000) {
					throw new AssertionError("read far past the limit");
				}
				java.util.Arrays.fill(buffer, offset, offset + length, 'a');
				this.served += length;
				return length;
			}

			@Override
			public void close() {
			}

		};
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> CorpusReader.tsv().withMaxLineLength(100).read(new java.io.BufferedReader(endless)))
			.withMessageContaining("line 1")
			.withMessageContaining("longer than 100 characters");
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(
					() -> CorpusReader.tsv().withMaxLineLength(10).read(new StringReader("a\tb\r\nabcdef\tghijkl\n")))
			.withMessageContaining("line 2");
	}

	@Test
	void readsLinesEndedByCarriageReturnsAndLineFeedsAlike() throws Exception {
		assertThat(read(CorpusReader.tsv(), "a\tb\rc\td\r\ne\tf\n\rg\th")).extracting(TextPair::source)
			.containsExactly("a", "c", "e", "g");
	}

	@Test
	void rejectsAJsonLineWhoseTextIsNotValidUnicode() {
		assertThatExceptionOfType(CorpusFormatException.class)
			.isThrownBy(() -> read(CorpusReader.jsonLines(),
					"{\"source\":\"ab\",\"target\":\"b\"}\n{\"source\":\"\\ud800\",\"target\":\"b\"}\n"))
			.withMessageContaining("line 2")
			.withMessageContaining("lone surrogate");
	}

	@Test
	void rejectsAnEmptyDelimiter() {
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> CorpusReader.delimited("", false))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("delimiter"));
	}

	@Test
	void namesTheFormatsUsersWrite() {
		assertThat(CorpusFormat.fromId("jsonl")).isEqualTo(CorpusFormat.JSONL);
		assertThatExceptionOfType(InvalidFieldException.class).isThrownBy(() -> CorpusFormat.fromId("csv"))
			.withMessage("format must be one of tsv, jsonl, delimited (was 'csv')");
	}

	private static List<TextPair> read(CorpusReader reader, String text) throws IOException, CorpusFormatException {
		return reader.read(new StringReader(text));
	}

}

package dev.elman;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.elman.corpus.TextPair;
import tools.jackson.databind.json.JsonMapper;

/**
 * Small named corpora for tests.
 */
public final class TestCorpora {

	private TestCorpora() {
	}

	/**
	 * Every 3-letter string over {@code a..e} paired with its reverse: 125 pairs.
	 * @return the corpus
	 */
	public static List<TextPair> tinyReversal() {
		String letters = "abcde";
		List<TextPair> pairs = new ArrayList<>();
		for (char a : letters.toCharArray()) {
			for (char b : letters.toCharArray()) {
				for (char c : letters.toCharArray()) {
					String source = "" + a + b + c;
					pairs.add(new TextPair(source, new StringBuilder(source).reverse().toString()));
				}
			}
		}
		return pairs;
	}

	/**
	 * Sums of two numbers below 30, in the book's plain form ({@code 12+7} to
	 * {@code 19}): sources and targets of several lengths.
	 * @return the corpus
	 */
	public static List<TextPair> smallAddition() {
		List<TextPair> pairs = new ArrayList<>();
		for (int a = 0; a < 30; a++) {
			for (int b = 0; b < 30; b += 3) {
				pairs.add(new TextPair(a + "+" + b, Integer.toString(a + b)));
			}
		}
		return pairs;
	}

	/**
	 * A {@code POST /train} body of sums of numbers below 1000: enough work for each
	 * epoch to take a noticeable time.
	 * @param model the model name
	 * @param pairs how many pairs
	 * @param epochs how many epochs
	 * @return the JSON body
	 */
	public static String additionJobRequest(String model, int pairs, int epochs) {
		Random random = new Random(5);
		List<Map<String, String>> corpus = new ArrayList<>();
		for (int i = 0; i < pairs; i++) {
			int a = random.nextInt(1000);
			int b = random.nextInt(1000);
			corpus.add(Map.of("source", a + "+" + b, "target", Integer.toString(a + b)));
		}
		return JsonMapper.builder()
			.build()
			.writeValueAsString(Map.of("name", model, "pairs", corpus, "epochs", epochs));
	}

}

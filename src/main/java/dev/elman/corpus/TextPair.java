package dev.elman.corpus;

/**
 * One training example: a source text and the target text the model should produce for
 * it.
 *
 * @param source the input
 * @param target the expected output
 */
public record TextPair(String source, String target) {

}

package dev.elman.model;

/**
 * The greedy decoding of one input.
 *
 * @param text the generated text, without the end symbol
 * @param tokenCount how many symbols were generated, the end symbol not counted
 * @param stopReason why decoding stopped
 * @param meanLogProbability the mean natural-log probability of the chosen symbols, the
 * end symbol included when it was chosen
 * @param unknownSymbols how many input symbols the vocabulary did not know
 */
public record Generation(String text, int tokenCount, StopReason stopReason, double meanLogProbability,
		int unknownSymbols) {

}

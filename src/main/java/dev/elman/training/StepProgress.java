package dev.elman.training;

/**
 * Progress within an epoch, reported after every training step.
 *
 * @param epoch the current epoch, from 1
 * @param epochs the planned number of epochs
 * @param step steps done in this epoch, from 1
 * @param steps steps in this epoch
 * @param loss the loss of the step just taken
 * @param gradientNorm the global L2 norm of that step's gradient, before clipping
 * @param stepTokens target symbols (end symbol included) that step trained on
 * @param tokensPerSecond target symbols (end symbol included) per second in this epoch so
 * far
 * @param pairsPerSecond pairs per second in this epoch so far
 * @param epochSeconds seconds spent training in this epoch so far
 * @param learningRate the learning rate of the step just taken
 */
public record StepProgress(int epoch, int epochs, int step, int steps, double loss, double gradientNorm,
		long stepTokens, double tokensPerSecond, double pairsPerSecond, double epochSeconds, double learningRate) {

}

package dev.elman.training;

import java.util.Map;

/**
 * What one epoch achieved. Validation figures are null when nothing is held out.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean cross-entropy per target symbol over the epoch's steps
 * @param validationLoss the same, teacher-forced, on the held-out pairs
 * @param exactMatch share of held-out pairs whose greedy output equals the target exactly
 * @param tokenAccuracy share of held-out target symbols (end symbol included) that greedy
 * decoding got right at their position
 * @param gradients gradient norms before clipping
 * @param spectralNorms largest singular value of each recurrent matrix {@code W_h} at the
 * end of the epoch, by name ({@code encoder.layer0}, {@code decoder.layer0}, or
 * {@code shared.layer0} when tied)
 * @param trainSeconds wall time of the training steps
 * @param validationSeconds wall time of the evaluation
 * @param tokensPerSecond target symbols trained per second
 * @param pairsPerSecond pairs trained per second
 * @param learningRate the learning rate of the epoch's last step (0 in a history written
 * before schedules)
 */
public record EpochReport(int epoch, double trainLoss, Double validationLoss, Double exactMatch, Double tokenAccuracy,
		GradientReport gradients, Map<String, Double> spectralNorms, double trainSeconds, double validationSeconds,
		double tokensPerSecond, double pairsPerSecond, double learningRate) {

}

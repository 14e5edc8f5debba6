package dev.elman.training;

/**
 * The gradient over one epoch, measured before clipping.
 *
 * @param meanNorm mean global L2 norm per step
 * @param maxNorm largest global L2 norm of any step
 * @param clippedFraction share of the steps whose gradient was scaled down
 * @param clippedSteps how many steps' gradient norm exceeded the clip threshold: the
 * exploding steps, counted rather than averaged away
 * @param largestLossIncrease the largest rise of a step's loss over the step before it in
 * this epoch, 0 when none rose: the jump an exploding step leaves behind
 */
public record GradientReport(double meanNorm, double maxNorm, double clippedFraction, int clippedSteps,
		double largestLossIncrease) {

}

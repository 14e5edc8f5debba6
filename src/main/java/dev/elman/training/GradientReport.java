package dev.elman.training;

/**
 * The gradient over one epoch, measured before clipping.
 *
 * @param meanNorm mean global L2 norm per step
 * @param maxNorm largest global L2 norm of any step
 * @param clippedFraction share of the steps whose gradient was scaled down
 */
public record GradientReport(double meanNorm, double maxNorm, double clippedFraction) {

}

package dev.elman.training;

/**
 * How far a run got into an epoch it did not finish, so that resuming it skips the steps
 * already taken and its report still covers the whole epoch. The batches of an epoch
 * follow from the seed, so the steps left are the same ones the run would have taken.
 *
 * @param epoch the unfinished epoch
 * @param stepsDone steps taken in it
 * @param lossSum the loss summed over those steps, each weighted by its symbols
 * @param tokens target symbols trained on
 * @param pairs pairs trained on
 * @param normSum gradient norms summed
 * @param normMax the largest gradient norm
 * @param clipped steps whose gradient was clipped
 * @param trainSeconds seconds spent on those steps
 * @param lastLoss the loss of the last step taken, null before the first
 * @param largestLossIncrease the largest rise of a step's loss over the step before
 */
record PartialEpoch(int epoch, int stepsDone, double lossSum, long tokens, long pairs, double normSum, double normMax,
		int clipped, double trainSeconds, Double lastLoss, double largestLossIncrease) {

}

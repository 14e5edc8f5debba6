package dev.elman.jobs;

import dev.elman.training.StepProgress;

/**
 * How far a running job has come.
 *
 * @param epoch the current epoch, from 1
 * @param epochs the planned epochs
 * @param step steps done in this epoch
 * @param steps steps per epoch
 * @param loss the latest step's loss
 * @param gradientNorm the latest step's gradient norm, before clipping
 * @param tokensPerSecond target symbols trained per second in this epoch
 * @param estimatedSecondsLeft time to the end of the last epoch at the current speed,
 * validation not included
 */
record JobProgress(int epoch, int epochs, int step, int steps, double loss, double gradientNorm, double tokensPerSecond,
		double estimatedSecondsLeft) {

	static JobProgress of(StepProgress progress) {
		double stepsPerSecond = (progress.epochSeconds() > 0) ? progress.step() / progress.epochSeconds() : 0;
		long left = (long) (progress.epochs() - progress.epoch()) * progress.steps()
				+ (progress.steps() - progress.step());
		double eta = (stepsPerSecond > 0) ? left / stepsPerSecond : 0;
		return new JobProgress(progress.epoch(), progress.epochs(), progress.step(), progress.steps(), progress.loss(),
				progress.gradientNorm(), progress.tokensPerSecond(), eta);
	}

}

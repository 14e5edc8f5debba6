package dev.elman.training;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.elman.http.InvalidFieldException;
import dev.elman.model.NamedOption;

/**
 * How the learning rate moves through a run. Any schedule may start with a linear warm-up
 * ({@link TrainingSettings#warmupSteps()}).
 */
public enum LearningRateSchedule implements NamedOption {

	/** The same rate throughout. */
	CONSTANT("constant"),

	/**
	 * Half a cosine from the rate down to {@link TrainingSettings#learningRateFloor()}
	 * times it, over the run's epochs: large steps while the model is far off, small ones
	 * late, when a vanilla RNN's sharp ridges would otherwise throw a good epoch off.
	 */
	COSINE("cosine"),

	/**
	 * Step decay: the rate falls to {@link TrainingSettings#learningRateFloor()} times it
	 * in three equal drops, a quarter, half and three quarters through the run's epochs.
	 */
	STEP("step"),

	/**
	 * Reduce on plateau: the rate halves after {@value #PLATEAU_PATIENCE} epochs in a row
	 * whose validation loss (the training loss without a held-out split) did not improve
	 * on the best by more than a relative {@value #PLATEAU_THRESHOLD}, and the count
	 * starts again; it never falls below {@link TrainingSettings#learningRateFloor()}
	 * times the rate. A function of the finished epochs' history, so a resumed run (which
	 * restores the history) continues with the same rates.
	 */
	PLATEAU("plateau");

	/** Epochs without improvement before the rate is halved. */
	static final int PLATEAU_PATIENCE = 2;

	/** The relative improvement of the loss that counts as one. */
	static final double PLATEAU_THRESHOLD = 1e-3;

	private final String id;

	LearningRateSchedule(String id) {
		this.id = id;
	}

	/**
	 * Returns the name users write.
	 * @return {@code constant}, {@code cosine}, {@code step} or {@code plateau}
	 */
	@Override
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Finds a schedule by the name users write.
	 * @param id the name
	 * @return the schedule
	 * @throws InvalidFieldException naming the allowed values
	 */
	@JsonCreator
	public static LearningRateSchedule fromId(String id) {
		return NamedOption.parse(LearningRateSchedule.class, "learningRateSchedule", id);
	}

	/**
	 * Returns the rate of one optimizer step.
	 * @param settings the run's settings
	 * @param step the optimizer step, from 1 over the whole run
	 * @param progress how far through the run the step is, from 0 (the first) towards 1
	 * @param finished the reports of the epochs finished before this step, in order
	 * @return the learning rate
	 */
	double rate(TrainingSettings settings, long step, double progress, List<EpochReport> finished) {
		double rate = settings.learningRate();
		double floor = settings.learningRateFloor();
		double clamped = Math.min(1, Math.max(0, progress));
		switch (this) {
			case CONSTANT -> {
			}
			case COSINE -> rate *= floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * clamped));
			case STEP -> rate *= Math.pow(floor, Math.min(3, Math.floor(4 * clamped)) / 3);
			case PLATEAU -> rate *= Math.max(floor, Math.pow(0.5, plateauReductions(finished)));
		}
		if (step <= settings.warmupSteps()) {
			rate *= (double) step / settings.warmupSteps();
		}
		return rate;
	}

	/** How many times a plateau halved the rate over these epochs. */
	static int plateauReductions(List<EpochReport> finished) {
		int reductions = 0;
		double best = Double.POSITIVE_INFINITY;
		int without = 0;
		for (EpochReport epoch : finished) {
			double loss = (epoch.validationLoss() != null) ? epoch.validationLoss() : epoch.trainLoss();
			if (loss < best * (1 - PLATEAU_THRESHOLD)) {
				best = loss;
				without = 0;
			}
			else if (++without >= PLATEAU_PATIENCE) {
				reductions++;
				without = 0;
			}
		}
		return reductions;
	}

}

package dev.elman.training;

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
	COSINE("cosine");

	private final String id;

	LearningRateSchedule(String id) {
		this.id = id;
	}

	/**
	 * Returns the name users write.
	 * @return {@code constant} or {@code cosine}
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
	 * @return the learning rate
	 */
	double rate(TrainingSettings settings, long step, double progress) {
		double rate = settings.learningRate();
		if (this == COSINE) {
			double floor = settings.learningRateFloor();
			rate *= floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, progress))));
		}
		if (step <= settings.warmupSteps()) {
			rate *= (double) step / settings.warmupSteps();
		}
		return rate;
	}

}

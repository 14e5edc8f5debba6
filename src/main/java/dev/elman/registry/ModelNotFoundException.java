package dev.elman.registry;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceProblem;

import org.springframework.http.HttpStatus;

/**
 * No model of that name, or not the asked version or alias of it.
 */
public class ModelNotFoundException extends ServiceProblem {

	private final String model;

	private final boolean nothingServable;

	ModelNotFoundException(String model, boolean nothingServable, String message) {
		super(HttpStatus.NOT_FOUND, ProblemTypes.MODEL_NOT_FOUND, "Not found", message);
		this.model = model;
		this.nothingServable = nothingServable;
	}

	/**
	 * Returns the model asked for.
	 * @return its name
	 */
	public String model() {
		return this.model;
	}

	/**
	 * Says whether the model has nothing to serve at all (no such model, or no good
	 * version), rather than lacking one version or alias.
	 * @return whether a model a job has yet to publish would answer this
	 */
	public boolean nothingServable() {
		return this.nothingServable;
	}

	/**
	 * Says there is no model of that name.
	 * @param name the name
	 * @return the exception
	 */
	public static ModelNotFoundException model(String name) {
		return new ModelNotFoundException(name, true, "There is no model named '" + name + "'.");
	}

	/**
	 * Says the model has no such version.
	 * @param name the model name
	 * @param version the version
	 * @return the exception
	 */
	public static ModelNotFoundException version(String name, int version) {
		return new ModelNotFoundException(name, false, "Model '" + name + "' has no version " + version + ".");
	}

	static ModelNotFoundException alias(String name, String alias) {
		return new ModelNotFoundException(name, false, "Model '" + name + "' has no alias '" + alias + "'.");
	}

	static ModelNotFoundException noGoodVersion(String name) {
		return new ModelNotFoundException(name, true, "Model '" + name + "' has no version that can be served.");
	}

}

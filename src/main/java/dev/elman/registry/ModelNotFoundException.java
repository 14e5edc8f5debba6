package dev.elman.registry;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceProblem;

import org.springframework.http.HttpStatus;

/**
 * No model of that name, or not the asked version or alias of it.
 */
public class ModelNotFoundException extends ServiceProblem {

	ModelNotFoundException(String message) {
		super(HttpStatus.NOT_FOUND, ProblemTypes.MODEL_NOT_FOUND, "Not found", message);
	}

	/**
	 * Says there is no model of that name.
	 * @param name the name
	 * @return the exception
	 */
	public static ModelNotFoundException model(String name) {
		return new ModelNotFoundException("There is no model named '" + name + "'.");
	}

	/**
	 * Says the model has no such version.
	 * @param name the model name
	 * @param version the version
	 * @return the exception
	 */
	public static ModelNotFoundException version(String name, int version) {
		return new ModelNotFoundException("Model '" + name + "' has no version " + version + ".");
	}

	static ModelNotFoundException alias(String name, String alias) {
		return new ModelNotFoundException("Model '" + name + "' has no alias '" + alias + "'.");
	}

	static ModelNotFoundException noGoodVersion(String name) {
		return new ModelNotFoundException("Model '" + name + "' has no version that can be served.");
	}

}

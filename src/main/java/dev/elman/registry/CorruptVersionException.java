package dev.elman.registry;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceProblem;

import org.springframework.http.HttpStatus;

/**
 * A version whose files do not match their checksums; it is never served.
 */
public class CorruptVersionException extends ServiceProblem {

	CorruptVersionException(String name, int version, String reason) {
		super(HttpStatus.CONFLICT, ProblemTypes.VERSION_CORRUPT, "Corrupt model version",
				"Version " + version + " of model '" + name + "' is corrupt and is not served: " + reason);
	}

}

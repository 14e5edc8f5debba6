package dev.elman.registry;

import java.util.List;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceProblem;

import org.springframework.http.HttpStatus;

/**
 * A version cannot be deleted while aliases point at it.
 */
public class AliasInUseException extends ServiceProblem {

	AliasInUseException(String name, int version, List<String> aliases) {
		super(HttpStatus.CONFLICT, ProblemTypes.ALIAS_IN_USE, "Version in use by an alias",
				"Version " + version + " of model '" + name + "' is the target of alias(es) "
						+ String.join(", ", aliases) + "; move or delete them first.");
	}

}

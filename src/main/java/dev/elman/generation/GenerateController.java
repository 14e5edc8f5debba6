package dev.elman.generation;

import java.util.List;

import dev.elman.http.InvalidFieldException;
import dev.elman.http.UnicodeText;
import dev.elman.registry.Names;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /generate}: greedy decoding with a model of the registry.
 */
@RestController
class GenerateController {

	private final GenerationService service;

	private final GenerationProperties properties;

	GenerateController(GenerationService service, GenerationProperties properties) {
		this.service = service;
		this.properties = properties;
	}

	@PostMapping(path = "/generate", consumes = MediaType.APPLICATION_JSON_VALUE)
	GenerateResponse generate(@Valid @RequestBody GenerateRequest request) {
		Names.model(request.model());
		if (request.version() != null && request.alias() != null) {
			throw new InvalidFieldException("alias", "cannot be given together with a version; give one of them");
		}
		if (request.alias() != null && !Names.LATEST.equals(request.alias())) {
			Names.alias(request.alias());
		}
		checkInputs(request.inputs());
		int maxLength = (request.maxLength() != null) ? request.maxLength() : this.properties.defaultMaxLength();
		if (maxLength > this.properties.maxLengthCap()) {
			throw new InvalidFieldException("maxLength",
					"must be at most " + this.properties.maxLengthCap() + " (was " + maxLength + ")");
		}
		return this.service.generate(request.model(), request.version(), request.alias(), request.inputs(), maxLength);
	}

	private void checkInputs(List<String> inputs) {
		if (inputs.size() > this.properties.maxInputs()) {
			throw new InvalidFieldException("inputs",
					"may hold at most " + this.properties.maxInputs() + " inputs (was " + inputs.size() + ")");
		}
		for (int i = 0; i < inputs.size(); i++) {
			String input = inputs.get(i);
			if (input == null) {
				throw new InvalidFieldException("inputs[" + i + "]", "must be a string, not null");
			}
			UnicodeText.requireWellFormed("inputs[" + i + "]", input);
			int length = input.codePointCount(0, input.length());
			if (length > this.properties.maxInputLength()) {
				throw new InvalidFieldException("inputs[" + i + "]",
						"may be at most " + this.properties.maxInputLength() + " characters long (was " + length + ")");
			}
		}
	}

}

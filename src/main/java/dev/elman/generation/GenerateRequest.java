package dev.elman.generation;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * A request to decode inputs greedily with a model.
 *
 * @param model the model name
 * @param version the version to use, or null
 * @param alias the alias to use ({@code latest} by default), or null; not together with a
 * version
 * @param inputs the source texts
 * @param maxLength the most symbols to generate per input, or null for the default
 */
record GenerateRequest(@NotNull String model, @Min(1) Integer version, String alias,
		@NotNull @NotEmpty List<String> inputs, @Min(1) Integer maxLength) {

}

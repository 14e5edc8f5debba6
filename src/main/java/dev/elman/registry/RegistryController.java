package dev.elman.registry;

import java.io.IOException;
import java.util.Collection;

import dev.elman.http.InvalidFieldException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lists models and versions, shows manifests, deletes versions and moves aliases.
 */
@RestController
class RegistryController {

	private final ModelRegistry registry;

	RegistryController(ModelRegistry registry) {
		this.registry = registry;
	}

	@GetMapping("/models")
	Collection<ModelInfo> models() {
		return this.registry.models();
	}

	@GetMapping("/models/{name}")
	ModelInfo model(@PathVariable String name) {
		return this.registry.model(modelName(name));
	}

	@GetMapping("/models/{name}/versions/{version}")
	VersionDetails version(@PathVariable String name, @PathVariable("version") String number) {
		modelName(name);
		int version = versionNumber(number);
		VersionInfo info = this.registry.model(name).version(version);
		if (info == null) {
			throw ModelNotFoundException.version(name, version);
		}
		if (info.status() == VersionStatus.CORRUPT) {
			return new VersionDetails(name, info, null);
		}
		return new VersionDetails(name, info, this.registry.manifest(name, version));
	}

	@DeleteMapping("/models/{name}/versions/{version}")
	ResponseEntity<Void> deleteVersion(@PathVariable String name, @PathVariable("version") String number)
			throws IOException {
		this.registry.delete(modelName(name), versionNumber(number));
		return ResponseEntity.noContent().build();
	}

	@PutMapping(path = "/models/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
	AliasView setAlias(@PathVariable String name, @PathVariable String alias, @Valid @RequestBody AliasTarget target)
			throws IOException {
		this.registry.setAlias(modelName(name), alias, target.version());
		return new AliasView(name, alias, target.version());
	}

	@DeleteMapping("/models/{name}/aliases/{alias}")
	ResponseEntity<Void> deleteAlias(@PathVariable String name, @PathVariable String alias) throws IOException {
		this.registry.deleteAlias(modelName(name), alias);
		return ResponseEntity.noContent().build();
	}

	/** Checks the model name of the path, where the parameter is {@code name}. */
	private static String modelName(String name) {
		return Names.model("name", name);
	}

	/**
	 * Reads a version number strictly: digits only, from 1. Spring's own conversion would
	 * take {@code 0xA} for 10 and {@code +1} or {@code 01} for 1, and a DELETE must never
	 * act on a version the caller did not name.
	 */
	private static int versionNumber(String number) {
		if (!VersionPublisher.VERSION.matcher(number).matches()) {
			throw new InvalidFieldException("version",
					"must be a version number: an integer from 1 without sign or leading zeros (was '" + number + "')");
		}
		return Integer.parseInt(number);
	}

	/**
	 * The body of an alias update.
	 *
	 * @param version the version the alias should point at
	 */
	record AliasTarget(@NotNull @Min(1) Integer version) {

	}

	/**
	 * An alias and its target.
	 *
	 * @param model the model name
	 * @param alias the alias
	 * @param version the version it points at
	 */
	record AliasView(String model, String alias, int version) {

	}

}

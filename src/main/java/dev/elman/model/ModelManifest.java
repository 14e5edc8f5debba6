package dev.elman.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.elman.storage.FileProblems;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What is saved beside a model's parameters: enough to rebuild the network and its
 * vocabulary, plus free-form metadata (how it was trained, on what).
 *
 * @param formatVersion the layout of this file and the parameters file
 * @param spec the architecture
 * @param vocabulary the symbols in id order, without the reserved ids
 * @param metadata anything else worth keeping, for people and tools
 */
public record ModelManifest(int formatVersion, ModelSpec spec, List<String> vocabulary, Map<String, Object> metadata) {

	/** The format this code writes and reads. */
	public static final int FORMAT_VERSION = 1;

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	/**
	 * Validates the manifest.
	 */
	public ModelManifest {
		if (spec == null || vocabulary == null) {
			throw new IllegalArgumentException("A model manifest needs a spec and a vocabulary");
		}
		vocabulary = List.copyOf(vocabulary);
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
	}

	/**
	 * Reads a manifest file.
	 * @param file the file
	 * @return the manifest
	 * @throws IOException if it cannot be read or is not a manifest of a known format
	 */
	public static ModelManifest read(Path file) throws IOException {
		ModelManifest manifest;
		try {
			manifest = JSON.readValue(file.toFile(), ModelManifest.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			// The file's name only: these messages reach clients as a version's problem.
			String reason = (ex instanceof JacksonException json) ? json.getOriginalMessage() : ex.getMessage();
			throw new InvalidManifestException(
					"Not a valid model manifest: " + file.getFileName() + " (" + reason + ")", ex);
		}
		if (manifest.formatVersion() != FORMAT_VERSION) {
			throw new InvalidManifestException(
					"Unsupported model format " + manifest.formatVersion() + " in " + file.getFileName(), null);
		}
		return manifest;
	}

	/**
	 * Writes this manifest.
	 * @param file the file to create or replace
	 * @throws IOException if it cannot be written
	 */
	public void write(Path file) throws IOException {
		try {
			Files.writeString(file, JSON.writeValueAsString(this));
		}
		catch (JacksonException ex) {
			throw new IOException("Cannot write model manifest " + file, ex);
		}
	}

	/**
	 * Says why a manifest could not be read, naming no server path.
	 * @param failure what {@link #read} threw
	 * @return the reason
	 */
	public static String describe(IOException failure) {
		return (failure instanceof InvalidManifestException) ? failure.getMessage() : FileProblems.describe(failure);
	}

	/** A manifest file that is there but is not a manifest this version can read. */
	public static final class InvalidManifestException extends IOException {

		InvalidManifestException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}

package dev.elman.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import dev.elman.storage.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model's aliases, {@code {model}/aliases.json}: alias to version, replaced whole on
 * every change so readers in any process see the old map or the new one.
 */
final class Aliases {

	static final String FILE = "aliases.json";

	private static final Logger logger = LoggerFactory.getLogger(Aliases.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Aliases() {
	}

	/**
	 * Reads a model's aliases; an unreadable file counts as none (and is logged).
	 * @param modelFolder the model's folder
	 * @return alias to version, sorted
	 */
	static Map<String, Integer> read(Path modelFolder) {
		try {
			return readForChange(modelFolder);
		}
		catch (IOException ex) {
			logger.warn("Ignoring unreadable aliases file of {}: {}", modelFolder.getFileName(),
					(ex.getCause() != null) ? ex.getCause().toString() : ex.toString());
			return Map.of();
		}
	}

	/**
	 * Reads a model's aliases to change them: an unreadable file is an error here, since
	 * writing over it would drop every alias in it.
	 * @param modelFolder the model's folder
	 * @return alias to version, sorted
	 * @throws IOException if the file exists but cannot be read
	 */
	static Map<String, Integer> readForChange(Path modelFolder) throws IOException {
		Path file = modelFolder.resolve(FILE);
		if (!Files.exists(file)) {
			return Map.of();
		}
		try {
			Map<String, Integer> aliases = JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Integer>>() {
			});
			return (aliases != null) ? Map.copyOf(aliases) : Map.of();
		}
		catch (JacksonException ex) {
			throw new IOException("The aliases of " + modelFolder.getFileName() + " cannot be read", ex);
		}
	}

	/**
	 * Replaces a model's aliases.
	 * @param modelFolder the model's folder
	 * @param aliases alias to version
	 * @throws IOException if the file cannot be written; the old one stays
	 */
	static void write(Path modelFolder, Map<String, Integer> aliases) throws IOException {
		DurableFiles.replace(modelFolder.resolve(FILE), JSON.writeValueAsString(new TreeMap<>(aliases)));
	}

}

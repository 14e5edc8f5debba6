package dev.elman.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import ai.djl.engine.Engine;
import dev.elman.model.Seq2SeqModel;
import dev.elman.storage.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.FileSystemUtils;

/**
 * Publishes versions all or nothing. Everything that can fail happens before the version
 * appears: its files are written to a staging folder and flushed, then, under the model's
 * lock, its number is taken by writing {@value #LAST_VERSION} (so numbers are never
 * reused), and last the staging folder is renamed to that number. The rename is the
 * commit: before it no reader anywhere sees the version, after it every reader does and
 * nothing is left that could fail.
 */
final class VersionPublisher {

	private static final Logger logger = LoggerFactory.getLogger(VersionPublisher.class);

	static final String STAGING = ".staging";

	/**
	 * The highest version number ever taken for the model, so numbers are not reused.
	 */
	static final String LAST_VERSION = "LAST_VERSION";

	static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

	private final Path root;

	private final Clock clock;

	/** Runs just before the rename; tests put another process's folder in the way. */
	private final Consumer<Path> beforeRename;

	VersionPublisher(Path root, Clock clock, Consumer<Path> beforeRename) {
		this.root = root;
		this.clock = clock;
		this.beforeRename = beforeRename;
	}

	/**
	 * Publishes a model as the next version.
	 * @param name a valid model name
	 * @param model the model
	 * @param metadata facts for the manifest; the publication time, engine versions and
	 * file checksums are added
	 * @return the new version
	 * @throws IOException if any step fails; then no version was published
	 */
	ResolvedVersion publish(String name, Seq2SeqModel model, Map<String, Object> metadata) throws IOException {
		Path staging = this.root.resolve(STAGING).resolve(name + "-" + UUID.randomUUID());
		try {
			Instant createdAt = Instant.now(this.clock);
			writeVersion(staging, model, metadata, createdAt);
			Path modelFolder = this.root.resolve(name);
			Files.createDirectories(modelFolder);
			try (ModelLock lock = ModelLock.acquire(modelFolder)) {
				int version = Math.max(highestVersionOnDisk(modelFolder), readLastVersion(modelFolder)) + 1;
				while (!renameInto(modelFolder, version, staging)) {
					logger.info("Version {} of model '{}' was taken by another process; trying {}", version, name,
							version + 1);
					version++;
				}
				DurableFiles.syncFolder(modelFolder);
				logger.info("Published version {} of model '{}'", version, name);
				return new ResolvedVersion(name, version, modelFolder.resolve(Integer.toString(version)), createdAt);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(staging);
		}
	}

	private void writeVersion(Path staging, Seq2SeqModel model, Map<String, Object> metadata, Instant createdAt)
			throws IOException {
		Files.createDirectories(staging);
		model.saveParameters(staging.resolve(Seq2SeqModel.PARAMETERS_FILE));
		Map<String, Object> facts = new LinkedHashMap<>(metadata);
		facts.put("createdAt", createdAt.toString());
		facts.put("engine", Map.of("djl", Engine.getDjlVersion(), "pytorch", Engine.getEngine("PyTorch").getVersion()));
		facts.put("files",
				Map.of(Seq2SeqModel.PARAMETERS_FILE, Checksums.sha256(staging.resolve(Seq2SeqModel.PARAMETERS_FILE))));
		model.manifest(facts).write(staging.resolve(Seq2SeqModel.MANIFEST_FILE));
		Checksums.write(staging, VersionInspector.VERSION_FILES);
		DurableFiles.syncTree(staging);
	}

	/**
	 * Takes a number and renames the staging folder to it.
	 * @return false if the number is another process's (its folder is there)
	 */
	private boolean renameInto(Path modelFolder, int version, Path staging) throws IOException {
		Path target = modelFolder.resolve(Integer.toString(version));
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		DurableFiles.replace(modelFolder.resolve(LAST_VERSION), Integer.toString(version));
		this.beforeRename.accept(target);
		try {
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
			return true;
		}
		catch (FileSystemException ex) {
			// Linux reports a non-empty target as a plain "Directory not empty".
			if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
				return false;
			}
			throw ex;
		}
	}

	static int highestVersionOnDisk(Path modelFolder) throws IOException {
		int highest = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelFolder)) {
			for (Path entry : entries) {
				String number = entry.getFileName().toString();
				if (VERSION.matcher(number).matches()) {
					highest = Math.max(highest, Integer.parseInt(number));
				}
			}
		}
		return highest;
	}

	private static int readLastVersion(Path modelFolder) {
		try {
			return Integer.parseInt(Files.readString(modelFolder.resolve(LAST_VERSION), StandardCharsets.UTF_8).trim());
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
	}

}

package dev.elman.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.elman.model.ModelManifest;
import dev.elman.model.Seq2SeqModel;
import dev.elman.storage.FileProblems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies version folders: their checksums and manifest, once per state of their files
 * (a rescan of unchanged folders reads only their attributes).
 */
final class VersionInspector {

	private static final Logger logger = LoggerFactory.getLogger(VersionInspector.class);

	static final List<String> VERSION_FILES = List.of(Seq2SeqModel.MANIFEST_FILE, Seq2SeqModel.PARAMETERS_FILE);

	private final Map<Path, Inspection> inspections = new ConcurrentHashMap<>();

	/**
	 * Inspects a version folder. Whatever is wrong with its content makes it corrupt; a
	 * folder that is gone (deleted by another process since it was listed) is reported
	 * so.
	 * @param folder the version folder
	 * @return what it holds
	 * @throws NoSuchFileException if the folder is gone
	 */
	Inspection inspect(Path folder) throws NoSuchFileException {
		String fingerprint;
		try {
			fingerprint = fingerprint(folder);
		}
		catch (NoSuchFileException ex) {
			this.inspections.remove(folder);
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			return unreadable(folder, ex);
		}
		Inspection known = this.inspections.get(folder);
		if (known != null && known.fingerprint().equals(fingerprint)) {
			return known;
		}
		Inspection inspection = verify(folder, fingerprint);
		if (inspection.problem() != null && (known == null || known.problem() == null)) {
			logger.warn("Version folder {} is corrupt and will not be served: {}", folder, inspection.problem());
		}
		this.inspections.put(folder, inspection);
		return inspection;
	}

	/**
	 * Forgets the folders a scan no longer saw (deleted versions), so the cache of
	 * inspections does not grow with every version ever published.
	 * @param seen the version folders the scan saw
	 */
	void retainOnly(Set<Path> seen) {
		this.inspections.keySet().retainAll(seen);
	}

	private Inspection verify(Path folder, String fingerprint) throws NoSuchFileException {
		String problem = Checksums.verify(folder, VERSION_FILES);
		Instant createdAt;
		long size = 0;
		try {
			createdAt = Files.getLastModifiedTime(folder).toInstant();
			try (Stream<Path> files = Files.list(folder)) {
				for (Path file : files.toList()) {
					BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
							LinkOption.NOFOLLOW_LINKS);
					size += attributes.isRegularFile() ? attributes.size() : 0;
				}
			}
		}
		catch (NoSuchFileException ex) {
			throw ex;
		}
		catch (IOException ex) {
			return unreadable(folder, ex);
		}
		String job = null;
		if (problem == null) {
			try {
				Map<String, Object> metadata = ModelManifest.read(folder.resolve(Seq2SeqModel.MANIFEST_FILE))
					.metadata();
				if (metadata.get("createdAt") instanceof String text) {
					createdAt = Instant.parse(text);
				}
				if (metadata.get("job") instanceof String text) {
					job = text;
				}
			}
			catch (IOException | RuntimeException ex) {
				problem = "the manifest cannot be read ("
						+ ((ex instanceof IOException io) ? ModelManifest.describe(io) : "malformed") + ")";
			}
		}
		return new Inspection(fingerprint, (problem == null) ? VersionStatus.READY : VersionStatus.CORRUPT, problem,
				createdAt, size, job);
	}

	private Inspection unreadable(Path folder, Exception failure) {
		logger.warn("Version folder {} cannot be read and will not be served: {}", folder, failure.toString());
		String reason = (failure instanceof IOException io) ? FileProblems.describe(io) : "unreadable";
		return new Inspection("", VersionStatus.CORRUPT, "the folder cannot be read (" + reason + ")", Instant.EPOCH, 0,
				null);
	}

	/**
	 * Names, sizes and times of the folder's entries, read without following links: a
	 * stray link whose target is gone says nothing about the version and must not stop
	 * the scan.
	 */
	private static String fingerprint(Path folder) throws IOException {
		StringBuilder fingerprint = new StringBuilder();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.sorted().toList()) {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				fingerprint.append(file.getFileName())
					.append(':')
					.append(attributes.isRegularFile() ? attributes.size() : -1)
					.append(':')
					.append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
					.append(';');
			}
		}
		return fingerprint.toString();
	}

	/**
	 * What a version folder held when it was last inspected.
	 *
	 * @param fingerprint names, sizes and times of its files
	 * @param status ready or corrupt
	 * @param problem what is wrong, if corrupt; names no server path
	 * @param createdAt when it was published
	 * @param sizeBytes the size of its files
	 * @param job the training job that published it, if one did
	 */
	record Inspection(String fingerprint, VersionStatus status, String problem, Instant createdAt, long sizeBytes,
			String job) {

	}

}

package dev.elman.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.FileSystemUtils;

/**
 * Each job's working folder, {@code {data-dir}/jobs/{id}/}: its corpus and its
 * checkpoints, removed when the job ends.
 */
final class JobFolders {

	private static final Logger logger = LoggerFactory.getLogger(JobFolders.class);

	private final Path root;

	JobFolders(Path root) {
		this.root = root.toAbsolutePath().normalize();
		try {
			Files.createDirectories(this.root);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the jobs' folder " + this.root, ex);
		}
	}

	/** The folder all jobs' folders are in. */
	Path root() {
		return this.root;
	}

	/**
	 * Returns the free disk under the jobs' folder.
	 * @return the usable bytes, or -1 if they cannot be read
	 */
	long usableSpace() {
		try {
			return Files.getFileStore(this.root).getUsableSpace();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	Path of(String id) {
		return this.root.resolve(id);
	}

	/**
	 * Removes the folders of jobs that are not unfinished, left by a request or a process
	 * that died before it could clean up. Only folders older than {@code olderThan}: a
	 * younger one may belong to a request another replica is still accepting.
	 * @param unfinished the ids of the jobs that still need their folders
	 * @param olderThan the age from which a folder without a job is abandoned
	 */
	void removeAbandoned(Set<String> unfinished, Duration olderThan) {
		Instant cutoff = Instant.now().minus(olderThan);
		try (DirectoryStream<Path> folders = Files.newDirectoryStream(this.root)) {
			for (Path folder : folders) {
				String id = folder.getFileName().toString();
				if (!unfinished.contains(id) && Files.getLastModifiedTime(folder).toInstant().isBefore(cutoff)) {
					logger.info("Removing the folder of job {}, which no unfinished job needs", id);
					delete(id);
				}
			}
		}
		catch (IOException | DirectoryIteratorException ex) {
			logger.warn("Could not look for abandoned job folders: {}", ex.toString());
		}
	}

	void delete(String id) {
		try {
			FileSystemUtils.deleteRecursively(of(id));
		}
		catch (IOException ex) {
			logger.warn("Could not remove the folder of job {}: {}", id, ex.getMessage());
		}
	}

}

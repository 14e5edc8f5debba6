package dev.elman.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Says what went wrong with a file in words a client may read: never the path, which
 * would tell anyone where the service keeps its data (the path goes to the log).
 */
public final class FileProblems {

	private FileProblems() {
	}

	/**
	 * Describes a failure without naming files.
	 * @param failure the failure
	 * @return for example "the disk is full" or "permission denied"
	 */
	public static String describe(IOException failure) {
		if (isDiskFull(failure)) {
			return "the disk is full";
		}
		if (failure instanceof NoSuchFileException) {
			return "a file is missing";
		}
		if (failure instanceof AccessDeniedException) {
			return "permission denied";
		}
		if (failure instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
			return fileSystem.getReason().toLowerCase(Locale.ROOT);
		}
		return "an input/output error";
	}

	/**
	 * Tells whether a failure is a full disk (or a full quota).
	 * @param failure the failure, or any of its causes
	 * @return true for ENOSPC and EDQUOT
	 */
	public static boolean isDiskFull(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null
					&& (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
				return true;
			}
		}
		return false;
	}

}

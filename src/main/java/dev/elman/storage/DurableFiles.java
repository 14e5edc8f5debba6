package dev.elman.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Flushes to disk what a crash must not lose: the files of a folder about to be renamed
 * into place, and the folder holding the rename. Shared by the model registry and the
 * training checkpoints, which publish the same way (write aside, flush, rename).
 */
public final class DurableFiles {

	private DurableFiles() {
	}

	/**
	 * Flushes every file under a folder, then every folder, deepest first.
	 * @param root the folder
	 * @throws IOException if a file cannot be flushed
	 */
	public static void syncTree(Path root) throws IOException {
		Files.walkFileTree(root, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				syncFile(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path directory, IOException failure) {
				syncFolder(directory);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	/**
	 * Flushes one file's content.
	 * @param file the file
	 * @throws IOException if it cannot be flushed
	 */
	public static void syncFile(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.force(true);
		}
	}

	/**
	 * Replaces a small file whole: the content goes to a temporary file beside it, is
	 * flushed, and is renamed over the old one, so a reader sees the old content or the
	 * new, never a part.
	 * @param file the file to create or replace
	 * @param content its new content, as UTF-8
	 * @throws IOException if it cannot be written; the old content is then unchanged
	 */
	public static void replace(Path file, String content) throws IOException {
		Path temporary = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try {
			Files.writeString(temporary, content, StandardCharsets.UTF_8);
			syncFile(temporary);
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Makes the entries of a folder (a rename into it) durable. Best effort: not every
	 * file system lets a folder be opened, and the files themselves are on disk already.
	 * @param folder the folder
	 */
	public static void syncFolder(Path folder) {
		try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// See above: nothing more can be done, and nothing is lost that was written.
		}
	}

}

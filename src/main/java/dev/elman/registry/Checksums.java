package dev.elman.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.elman.storage.FileProblems;

/**
 * The {@code SHA256SUMS} file of a version, in the format of {@code sha256sum}, so an
 * operator can check a version with {@code sha256sum -c SHA256SUMS}. It covers every
 * other file of the version; a changed byte anywhere, the sums file included, makes the
 * version corrupt.
 */
final class Checksums {

	static final String FILE = "SHA256SUMS";

	private Checksums() {
	}

	static String sha256(Path file) throws IOException {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
		byte[] buffer = new byte[64 * 1024];
		try (InputStream in = Files.newInputStream(file)) {
			int read;
			while ((read = in.read(buffer)) > 0) {
				digest.update(buffer, 0, read);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	static void write(Path folder, List<String> files) throws IOException {
		StringBuilder sums = new StringBuilder();
		for (String file : files) {
			sums.append(sha256(folder.resolve(file))).append("  ").append(file).append('\n');
		}
		Files.writeString(folder.resolve(FILE), sums);
	}

	/**
	 * Checks every file listed.
	 * @return null if all match, otherwise what is wrong
	 */
	static String verify(Path folder, List<String> required) {
		Map<String, String> expected = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(folder.resolve(FILE), StandardCharsets.UTF_8)) {
				if (line.isBlank()) {
					continue;
				}
				int split = line.indexOf("  ");
				if (split != 64 || line.length() <= split + 2) {
					return FILE + " is malformed";
				}
				expected.put(line.substring(split + 2), line.substring(0, split));
			}
		}
		catch (NoSuchFileException ex) {
			return FILE + " is missing";
		}
		catch (IOException ex) {
			return FILE + " cannot be read (" + FileProblems.describe(ex) + ")";
		}
		for (String file : required) {
			if (!expected.containsKey(file)) {
				return FILE + " does not cover " + file;
			}
		}
		for (Map.Entry<String, String> entry : expected.entrySet()) {
			if (entry.getKey().contains("/") || entry.getKey().contains("..")) {
				return FILE + " names a file outside the version: " + entry.getKey();
			}
			try {
				if (!sha256(folder.resolve(entry.getKey())).equals(entry.getValue())) {
					return entry.getKey() + " does not match its checksum";
				}
			}
			catch (NoSuchFileException ex) {
				return entry.getKey() + " is missing";
			}
			catch (IOException ex) {
				return entry.getKey() + " cannot be read (" + FileProblems.describe(ex) + ")";
			}
		}
		return null;
	}

}

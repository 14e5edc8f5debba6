package dev.elman.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The configured keys, kept only as SHA-256 digests and compared in constant time, so
 * neither a heap dump nor response timing gives a key away.
 */
final class ApiKeys {

	private final List<byte[]> digests;

	ApiKeys(List<String> keys) {
		this.digests = keys.stream().map(ApiKeys::sha256).toList();
	}

	boolean isEmpty() {
		return this.digests.isEmpty();
	}

	int size() {
		return this.digests.size();
	}

	/**
	 * Whether a presented key is one of the configured ones. Every configured key is
	 * compared, so the time taken does not tell which one nearly matched.
	 */
	boolean accepts(String presented) {
		byte[] digest = sha256(presented);
		boolean accepted = false;
		for (byte[] known : this.digests) {
			accepted |= MessageDigest.isEqual(known, digest);
		}
		return accepted;
	}

	private static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}

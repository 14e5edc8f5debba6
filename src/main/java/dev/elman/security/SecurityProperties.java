package dev.elman.security;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may change things.
 *
 * @param apiKeys keys that unlock the endpoints that change state (training, cancelling,
 * deleting versions, moving aliases), sent as {@code Authorization: Bearer KEY} or
 * {@code X-API-Key: KEY}; several at once let keys be rotated without downtime. Empty
 * leaves every endpoint open, with a warning at startup.
 * @param protectGenerate whether {@code POST /generate} needs a key too
 */
@Validated
@ConfigurationProperties("elman.security")
public record SecurityProperties(@NotNull @DefaultValue List<String> apiKeys,
		@DefaultValue("false") boolean protectGenerate) {

	/** Shorter keys can be guessed; 32 hex digits from a random source cannot. */
	static final int MIN_KEY_LENGTH = 16;

	/**
	 * Refuses keys that are empty or too short, naming them by position only: this check
	 * is not bean validation because a failed bean validation prints the value.
	 */
	public SecurityProperties {
		for (int i = 0; i < apiKeys.size(); i++) {
			String key = apiKeys.get(i);
			if (key == null || key.strip().length() < MIN_KEY_LENGTH) {
				throw new IllegalArgumentException("elman.security.api-keys[" + i + "] is shorter than "
						+ MIN_KEY_LENGTH + " characters; generate keys with: openssl rand -hex 32");
			}
		}
		apiKeys = apiKeys.stream().map(String::strip).toList();
	}

}

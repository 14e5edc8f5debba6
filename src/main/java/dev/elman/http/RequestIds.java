package dev.elman.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The id every request carries: the caller's {@code X-Request-Id} when it is a sane
 * token, else a fresh UUID. It is echoed in the response header, set in the logging MDC
 * and put in every ProblemDetail body, so one id ties a client's error to the log lines
 * behind it.
 */
public final class RequestIds {

	/** The header the id is read from and written to. */
	public static final String HEADER = "X-Request-Id";

	/** The MDC key log patterns print. */
	public static final String MDC_KEY = "requestId";

	private static final String ATTRIBUTE = RequestIds.class.getName();

	/**
	 * Letters, digits and {@code . _ : -}, at most 128: UUIDs, ULIDs and trace ids fit,
	 * while a hostile value cannot forge log lines or bloat them.
	 */
	private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private RequestIds() {
	}

	/**
	 * Returns the id to use for a request.
	 * @param candidate the caller's {@code X-Request-Id}, or null
	 * @return the candidate when it is a sane token, else a new id
	 */
	public static String accept(String candidate) {
		return (candidate != null && ACCEPTED.matcher(candidate).matches()) ? candidate : newId();
	}

	/**
	 * A random version-4 UUID from the thread's own generator: an id needs to be unique,
	 * not unguessable, and {@link UUID#randomUUID()} would make every request queue for
	 * one shared {@code SecureRandom}.
	 */
	public static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

	/**
	 * Ties an id to a request.
	 * @param request the request
	 * @param id its id
	 */
	public static void bind(HttpServletRequest request, String id) {
		request.setAttribute(ATTRIBUTE, id);
	}

	/**
	 * Returns the id of a request.
	 * @param request the request
	 * @return its id, or null before the web layer's request id filter has run
	 */
	public static String of(HttpServletRequest request) {
		return (String) request.getAttribute(ATTRIBUTE);
	}

}

package dev.elman.fuzz;

import java.util.Map;

/**
 * One generated request.
 *
 * @param method the HTTP method
 * @param path the path with its query, already percent-encoded where it has to be
 * @param contentType the Content-Type header, or null for none
 * @param body the body, or null for none
 * @param chunked whether the body is sent without a length
 * @param headers more headers
 */
record FuzzRequest(String method, String path, String contentType, byte[] body, boolean chunked,
		Map<String, String> headers) {

	@Override
	public String toString() {
		String shown = (this.body == null) ? "-" : new String(this.body, java.nio.charset.StandardCharsets.UTF_8);
		if (shown.length() > 400) {
			shown = shown.substring(0, 400) + "... (" + this.body.length + " bytes)";
		}
		return this.method + " " + this.path + " [" + this.contentType + (this.chunked ? ", chunked" : "") + "] "
				+ this.headers + " " + shown;
	}

}

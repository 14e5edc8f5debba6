package dev.elman.web;

import dev.elman.http.ProblemResponses;
import dev.elman.http.ProblemTypes;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Problems for errors that carry only a status: those the servlet container reports
 * itself, before or outside Spring MVC.
 */
final class ErrorProblems {

	private ErrorProblems() {
	}

	/**
	 * Returns a problem for a bare status.
	 * @param status the HTTP status, 400 or above
	 * @param path the path that was asked for, when known
	 * @return the problem
	 */
	static ProblemDetail forStatus(int status, String path) {
		HttpStatus known = HttpStatus.resolve(status);
		String title = (known != null) ? known.getReasonPhrase() : "Error";
		return switch (status) {
			case 404 -> ProblemResponses.problem(HttpStatusCode.valueOf(status), ProblemTypes.NO_SUCH_ENDPOINT, title,
					((path != null) ? "There is no endpoint " + path : "There is no such endpoint")
							+ "; the API is described at /openapi.yaml.");
			case 413 -> ProblemResponses.problem(HttpStatusCode.valueOf(status), ProblemTypes.PAYLOAD_TOO_LARGE,
					"Request too large", "The request is larger than the service accepts.");
			default -> (status >= 500)
					? ProblemResponses.problem(HttpStatusCode.valueOf(status), ProblemTypes.INTERNAL_ERROR, title,
							"The service failed to answer this request; the failure is logged.")
					: ProblemResponses.problem(HttpStatusCode.valueOf(status), ProblemTypes.INVALID_REQUEST, title,
							"The server refused the request as malformed (" + status + " " + title
									+ "): check the path, its encoding and the headers. An encoded '/' or '..' "
									+ "is never accepted in a path.");
		};
	}

}

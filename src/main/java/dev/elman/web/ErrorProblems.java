package dev.elman.web;

import dev.elman.http.ProblemResponses;
import dev.elman.http.ProblemTypes;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Problems for errors that carry only a status: those the servlet container reports
 * itself, before or outside Spring MVC, and bare error statuses other handlers set.
 */
final class ErrorProblems {

	private ErrorProblems() {
	}

	/**
	 * Whether a bare 400 is the container refusing a request it could not finish reading
	 * while the service shuts down, rather than a malformed request: nothing of the
	 * service saw it, and the service is stopping.
	 * @param status the status the container set
	 * @param reachedTheService whether the service's own filters saw the request
	 * @param stopping whether the service is shutting down
	 * @return true to answer it as shutting down
	 * ({@link dev.elman.http.ServiceUnavailableException#shuttingDown})
	 */
	static boolean refusedWhileStopping(int status, boolean reachedTheService, boolean stopping) {
		return status == 400 && !reachedTheService && stopping;
	}

	/**
	 * Returns a problem for a bare status.
	 * @param status the HTTP status, 400 or above
	 * @param path the method and path that were asked for, when known
	 * @return the problem
	 */
	static ProblemDetail forStatus(int status, String path) {
		String title = ProblemResponses.title(status);
		HttpStatusCode code = HttpStatusCode.valueOf(status);
		return switch (status) {
			case 404 -> ProblemResponses.problem(code, ProblemTypes.NO_SUCH_ENDPOINT, title,
					((path != null) ? "There is no " + path : "There is no such endpoint or resource")
							+ "; the API is described at /openapi.yaml.");
			case 405 -> ProblemResponses.problem(code, ProblemTypes.INVALID_REQUEST, title,
					"This method is not allowed here; the Allow header lists those that are.");
			case 408 -> ProblemResponses.problem(code, ProblemTypes.REQUEST_TIMEOUT, title,
					"The request did not arrive in time.");
			case 413 -> ProblemResponses.problem(code, ProblemTypes.PAYLOAD_TOO_LARGE, "Request too large",
					"The request is larger than the service accepts.");
			case 414 -> ProblemResponses.problem(code, ProblemTypes.INVALID_REQUEST, title,
					"The request's path and query are too long.");
			case 431 -> ProblemResponses.problem(code, ProblemTypes.INVALID_REQUEST, title,
					"The request's headers are too large.");
			case 501,
					505 ->
				ProblemResponses.problem(code, ProblemTypes.INVALID_REQUEST, title,
						"The request asks for something this server does not do (" + status + " " + title
								+ "): a method, transfer coding or HTTP version it does not know.");
			default -> (status >= 500)
					? ProblemResponses.problem(code, ProblemTypes.INTERNAL_ERROR, title,
							"The service failed to answer this request; the failure is logged.")
					: ProblemResponses.problem(code, ProblemTypes.INVALID_REQUEST, title,
							"The server could not read the request (" + status + " " + title
									+ "): check the request line, the path's encoding (an encoded '/' or '..' is "
									+ "never accepted), the headers and the body's framing.");
		};
	}

}

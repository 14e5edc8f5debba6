package dev.elman.web;

import dev.elman.http.ProblemResponses;
import dev.elman.http.ProblemTypes;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}): what a filter or the container
 * reports with a bare status reaches the client as problem+json, like every other error,
 * instead of Spring Boot's default error body. Requested directly, it is just an unknown
 * endpoint.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		int status = (code instanceof Integer value && value >= 400) ? value : 404;
		String path = (uri instanceof String text) ? request.getMethod() + " " + text : null;
		ProblemDetail problem = ErrorProblems.forStatus(status, path);
		if (uri instanceof String text) {
			problem.setInstance(ProblemResponses.instance(text));
		}
		if (code == null) {
			problem.setType(ProblemTypes.NO_SUCH_ENDPOINT);
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}

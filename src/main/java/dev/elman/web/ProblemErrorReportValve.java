package dev.elman.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.elman.http.ProblemResponses;
import dev.elman.http.RequestIds;
import dev.elman.http.ServiceUnavailableException;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Tomcat's own error responses, for requests it refuses before any filter or servlet runs
 * (an encoded slash or {@code ..} in the path, a malformed URI), as problem+json with a
 * request id instead of Tomcat's HTML page. Installed as the host's error report valve.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	/**
	 * Whether the service is shutting down, asked of the request's context or, for a
	 * request Tomcat could not map to one, of every context of this valve's host.
	 */
	private boolean isStopping(Request request) {
		if (request.getContext() != null) {
			return ShutdownDrain.isStopping(request.getContext().getServletContext());
		}
		Container host = getContainer();
		if (host == null) {
			return false;
		}
		for (Container child : host.findChildren()) {
			if (child instanceof Context context && ShutdownDrain.isStopping(context.getServletContext())) {
				return true;
			}
		}
		return false;
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		// As Tomcat's own valve: only an error, only once, and never over a body already
		// written.
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String id = RequestIds.of(request);
		boolean reachedTheService = id != null;
		if (id == null) {
			id = RequestIds.newId();
			RequestIds.bind(request, id);
			response.setHeader(RequestIds.HEADER, id);
		}
		var problem = ErrorProblems.forStatus(status, null);
		if (ErrorProblems.refusedWhileStopping(status, reachedTheService, isStopping(request))) {
			// Tomcat's graceful shutdown can answer a request on a kept-alive connection
			// 400 before any filter has read it (seen about once in 10,000 requests under
			// load): the client did nothing wrong, and the request is safe to send again.
			ServiceUnavailableException shuttingDown = ServiceUnavailableException.shuttingDown(Duration.ofSeconds(1));
			problem = shuttingDown.getBody();
			response.setStatus(problem.getStatus());
			response.setHeader(HttpHeaders.RETRY_AFTER, shuttingDown.getHeaders().getFirst(HttpHeaders.RETRY_AFTER));
			response.setHeader(HttpHeaders.CONNECTION, "close");
		}
		try {
			byte[] body = ProblemResponses.toJson(request, problem).getBytes(StandardCharsets.UTF_8);
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setContentLength(body.length);
			try (OutputStream out = response.getOutputStream()) {
				out.write(body);
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away or the response cannot take a body: nothing to add.
		}
	}

}

package dev.elman.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Writes a ProblemDetail from a servlet filter, where Spring MVC's converters do not run,
 * in the same shape they write it: extra properties at the top level, the request's path
 * as {@code instance}, its id as {@code requestId}.
 */
public final class ProblemResponses {

	private static final JsonMapper JSON = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	private ProblemResponses() {
	}

	/**
	 * Makes a problem of one of this service's types.
	 * @param status the HTTP status
	 * @param type the stable type, one of {@link ProblemTypes}
	 * @param title a short summary of the type
	 * @param detail what happened and what to change
	 * @return the problem
	 */
	public static ProblemDetail problem(HttpStatusCode status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

	/**
	 * Answers a request with a problem.
	 * @param request the request
	 * @param response its response, not yet committed
	 * @param problem the problem; its status is the response's
	 * @throws IOException if the body cannot be written
	 */
	public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		byte[] body = toJson(request, problem).getBytes(StandardCharsets.UTF_8);
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * Renders a problem as its JSON body, with the request's path as {@code instance}
	 * (unless it has one) and the request's id.
	 * @param request the request
	 * @param problem the problem
	 * @return the JSON text
	 */
	public static String toJson(HttpServletRequest request, ProblemDetail problem) {
		if (problem.getInstance() == null) {
			problem.setInstance(instance(request.getRequestURI()));
		}
		String id = RequestIds.of(request);
		if (id != null) {
			problem.setProperty(RequestIds.MDC_KEY, id);
		}
		return JSON.writeValueAsString(problem);
	}

	/**
	 * Returns a request path as a problem's {@code instance}.
	 * @param path the path as the client sent it
	 * @return it as a URI, or null when it is not one (a malformed path the server
	 * refused)
	 */
	public static URI instance(String path) {
		try {
			return (path != null) ? URI.create(path) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The title of a problem that has no more specific one: the status's reason phrase in
	 * the sentence case every title of this service uses ("Not found", "Method not
	 * allowed"), so that a client never sees the same problem titled two ways.
	 * @param status the status
	 * @return the title
	 */
	public static String title(int status) {
		if (status == 413) {
			return "Request too large";
		}
		HttpStatus known = HttpStatus.resolve(status);
		if (known == null) {
			return "Error";
		}
		// "Not Found" reads "Not found"; acronyms ("URI Too Long") keep their capitals.
		String[] words = known.getReasonPhrase().split(" ");
		StringBuilder title = new StringBuilder(words[0]);
		for (int i = 1; i < words.length; i++) {
			boolean acronym = words[i].chars().noneMatch(Character::isLowerCase);
			title.append(' ').append(acronym ? words[i] : words[i].toLowerCase(java.util.Locale.ROOT));
		}
		return title.toString();
	}

}

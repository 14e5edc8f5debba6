package dev.elman.http;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A failure that reaches the client as a problem of its own status and type: each
 * feature's exceptions extend this, so the web layer answers them without knowing them.
 * The message is the problem's detail, written for the caller.
 */
public class ServiceProblem extends ErrorResponseException {

	/**
	 * Creates a problem.
	 * @param status the HTTP status
	 * @param type the stable type, one of {@link ProblemTypes}
	 * @param title a short summary of the type
	 * @param detail what happened and what to change
	 */
	protected ServiceProblem(HttpStatus status, URI type, String title, String detail) {
		this(status, type, title, detail, null);
	}

	/**
	 * Creates a problem with a cause, which is logged but never shown.
	 * @param status the HTTP status
	 * @param type the stable type, one of {@link ProblemTypes}
	 * @param title a short summary of the type
	 * @param detail what happened and what to change
	 * @param cause the underlying failure, or null
	 */
	protected ServiceProblem(HttpStatus status, URI type, String title, String detail, Throwable cause) {
		super(status, ProblemResponses.problem(status, type, title, detail), cause);
	}

	/**
	 * Returns the problem's type.
	 * @return the type URI
	 */
	public URI getType() {
		return getBody().getType();
	}

	/** The detail, as the caller reads it (Spring's default adds status and body). */
	@Override
	public String getMessage() {
		return getBody().getDetail();
	}

}

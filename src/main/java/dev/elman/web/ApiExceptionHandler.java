package dev.elman.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.elman.http.ProblemResponses;
import dev.elman.http.ProblemTypes;
import dev.elman.http.RequestPaths;
import jakarta.validation.ConstraintViolationException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} answer with a
 * stable type, a title and a detail that tells the caller what to fix. Each feature's
 * exceptions carry their own status and type ({@link dev.elman.http.ServiceProblem});
 * what is left here are the generic cases: bodies that cannot be read, parameters that
 * fail validation, storage failures and bugs. Stack traces and class names never reach
 * clients.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private static final DisconnectedClientHelper DISCONNECTED_CLIENTS = new DisconnectedClientHelper(
			ApiExceptionHandler.class.getName() + ".DisconnectedClient");

	@ExceptionHandler(CharacterCodingException.class)
	ResponseEntity<Object> notUnicode(CharacterCodingException ex) {
		return invalid("The request holds text that is not valid Unicode (for example a lone surrogate).", Map.of());
	}

	/**
	 * A storage failure, or a client that hung up while its answer was being written
	 * (Tomcat's {@code ClientAbortException} is an {@code IOException} too): that one is
	 * no fault of the service's and there is no one left to answer, so it is logged at
	 * debug level only and nothing is written.
	 */
	@ExceptionHandler(IOException.class)
	ResponseEntity<Object> storage(IOException ex) {
		if (DISCONNECTED_CLIENTS.checkAndLogClientDisconnectedException(ex)) {
			return null;
		}
		logger.error("Storage failure", ex);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.STORAGE_UNAVAILABLE,
					"Storage unavailable",
					"The service's storage could not be written or read; nothing was changed. Try again later."));
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<Object> constraintViolation(ConstraintViolationException ex) {
		Map<String, String> errors = new LinkedHashMap<>();
		ex.getConstraintViolations().forEach((violation) -> {
			String path = violation.getPropertyPath().toString();
			String field = path.substring(path.lastIndexOf('.') + 1);
			errors.putIfAbsent(field, field + " " + violation.getMessage());
		});
		return invalid(String.join("; ", errors.values()), errors);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Map<String, String> errors = new LinkedHashMap<>();
		ex.getParameterValidationResults().forEach((result) -> {
			String field = result.getMethodParameter().getParameterName();
			result.getResolvableErrors()
				.forEach((error) -> errors.putIfAbsent(field, field + " " + error.getDefaultMessage()));
		});
		return invalid(errors.isEmpty() ? "The request parameters are invalid." : String.join("; ", errors.values()),
				errors);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex) {
		String message = "'" + ex.getValue() + "' is not a valid " + ex.getName();
		return invalid(message, Map.of(ex.getName(), message));
	}

	/**
	 * A multipart body the container cannot parse (no boundary, truncated parts): the
	 * client's fault. One beyond the upload limits is a 413.
	 */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<Object> unreadableMultipart(MultipartException ex) {
		// Parsed lazily, an upload beyond the limits surfaces wrapped.
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			// Tomcat reports a part's headers over its 512-byte limit with the same
			// exception as an upload over the size limit; only its words tell them apart.
			if (cause instanceof SizeException tooLarge && cause.getMessage() != null
					&& cause.getMessage().contains("Header section")) {
				return invalid("A part's headers are longer than the " + tooLarge.getPermittedSize()
						+ " bytes accepted (a very long file name, say).", Map.of());
			}
			if (cause instanceof SizeException tooLarge) {
				return uploadTooLarge(tooLarge.getPermittedSize());
			}
		}
		if (ex instanceof MaxUploadSizeExceededException tooLarge) {
			return uploadTooLarge(tooLarge.getMaxUploadSize());
		}
		return invalid("The multipart body cannot be read: it needs a boundary in its Content-Type and parts "
				+ "separated by it (curl -F builds one).", Map.of());
	}

	/**
	 * Spring calls any multipart failure whose message speaks of a size an upload too
	 * large; Tomcat's words for an overlong part header are among them, and that is a
	 * 400.
	 */
	@Override
	protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return unreadableMultipart(ex);
	}

	/**
	 * Without a size (-1), the container refused the form's fields or its number of
	 * parts.
	 */
	private static ResponseEntity<Object> uploadTooLarge(long permitted) {
		String detail = (permitted >= 0)
				? "The upload is larger than the " + permitted
						+ " bytes accepted (spring.servlet.multipart.max-file-size and max-request-size)."
				: "The upload's form fields are larger, or its parts more, than accepted: the corpus goes in a"
						+ " file part (curl: -F corpus=@pairs.tsv), each option in a short field.";
		ProblemDetail body = ProblemResponses.problem(HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
				"Request too large", detail);
		return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(body);
	}

	/**
	 * A query string (or form body) the container cannot decode, such as {@code %zz}.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<Object> undecodableParameters(InvalidParameterException ex) {
		return invalid("The query parameters cannot be decoded: percent-encode them as UTF-8.", Map.of());
	}

	@ExceptionHandler({ RuntimeException.class, Error.class })
	ResponseEntity<Object> unexpected(Throwable ex) {
		logger.error("Unexpected failure", ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(ProblemResponses.problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL_ERROR,
					"Internal error", "The service failed unexpectedly; the failure is logged."));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.putIfAbsent(error.getField(), error.getField() + " " + error.getDefaultMessage());
		}
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((error) -> errors.putIfAbsent(error.getObjectName(), error.getDefaultMessage()));
		return invalid(String.join("; ", errors.values()), errors);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		// A body cut off at its size limit (or its deadline) is answered for that,
		// whatever the parser made of it.
		Object exceeded = request.getAttribute(RequestBodyLimitFilter.EXCEEDED, WebRequest.SCOPE_REQUEST);
		if (exceeded instanceof ErrorResponseException cutOff) {
			return handleErrorResponseException(cutOff, cutOff.getHeaders(), cutOff.getStatusCode(), request);
		}
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof ErrorResponseException problem) {
				return handleErrorResponseException(problem, problem.getHeaders(), problem.getStatusCode(), request);
			}
		}
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof JacksonException json) {
				JsonProblems.Described described = JsonProblems.describe(json);
				String detail = described.detail();
				if (JsonProblems.isNotJsonAtAll(json) && request instanceof ServletWebRequest servlet
						&& "/train".equals(RequestPaths.of(servlet.getRequest()))
						&& isJson(servlet.getRequest().getContentType())) {
					// Most often a corpus file posted as the body itself.
					detail += " To train on a text corpus, put it in the field \"text\" with its \"format\","
							+ " or upload the file to /train/upload (curl -F corpus=@pairs.tsv -F name=adder).";
				}
				return invalid(detail, described.errors());
			}
		}
		return invalid("The request body is missing or unreadable.", Map.of());
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// Spring's own errors (unknown route, wrong method, wrong media type) keep their
		// status but get this service's problem format.
		if (body == null && ex instanceof ErrorResponse error) {
			body = error.getBody();
		}
		if (body instanceof ProblemDetail problem
				&& (problem.getType() == null || problem.getType().equals(URI.create("about:blank")))) {
			problem.setType(switch (statusCode.value()) {
				case 404 -> ProblemTypes.NO_SUCH_ENDPOINT;
				case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
				default -> ProblemTypes.INVALID_REQUEST;
			});
			HttpStatus reason = HttpStatus.resolve(statusCode.value());
			if (reason != null && reason.getReasonPhrase().equals(problem.getTitle())) {
				problem.setTitle(ProblemResponses.title(statusCode.value()));
			}
			if (ex instanceof NoResourceFoundException missing) {
				problem.setDetail("There is no endpoint " + missing.getHttpMethod() + " /" + missing.getResourcePath()
						+ "; the API is described at /openapi.yaml.");
			}
		}
		if (statusCode.is5xxServerError() && ex.getCause() != null) {
			logger.warn("{}", ex.getMessage(), ex.getCause());
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	private static boolean isJson(String contentType) {
		try {
			return contentType != null
					&& MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.APPLICATION_JSON);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static ResponseEntity<Object> invalid(String detail, Map<String, String> errors) {
		ProblemDetail body = ProblemResponses.problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST,
				"Invalid request", detail);
		if (!errors.isEmpty()) {
			body.setProperty("errors", errors);
		}
		return ResponseEntity.badRequest().body(body);
	}

}

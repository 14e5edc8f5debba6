package dev.elman.web;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.elman.jobs.CorpusTooLargeException;
import dev.elman.jobs.IdempotencyConflictException;
import dev.elman.jobs.InvalidCorpusException;
import dev.elman.jobs.JobFinishedException;
import dev.elman.jobs.JobNotFoundException;
import dev.elman.model.InvalidSettingException;
import jakarta.validation.ConstraintViolationException;
import dev.elman.registry.AliasInUseException;
import dev.elman.registry.CorruptVersionException;
import dev.elman.registry.InvalidNameException;
import dev.elman.registry.ModelNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} answer with a
 * stable type, a title and a detail that tells the caller what to fix. Stack traces and
 * class names never reach clients.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ModelNotFoundException.class)
	ResponseEntity<Object> notFound(ModelNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ProblemTypes.MODEL_NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler(CorruptVersionException.class)
	ResponseEntity<Object> corrupt(CorruptVersionException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.VERSION_CORRUPT, "Corrupt model version", ex.getMessage());
	}

	@ExceptionHandler(AliasInUseException.class)
	ResponseEntity<Object> aliasInUse(AliasInUseException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.ALIAS_IN_USE, "Version in use by an alias", ex.getMessage());
	}

	@ExceptionHandler(InvalidNameException.class)
	ResponseEntity<Object> invalidName(InvalidNameException ex) {
		return invalid(ex.getMessage(), Map.of(ex.getField(), ex.getMessage()));
	}

	@ExceptionHandler(InvalidSettingException.class)
	ResponseEntity<Object> invalidSetting(InvalidSettingException ex) {
		return invalid(ex.getMessage(), Map.of(ex.getField(), ex.getMessage()));
	}

	@ExceptionHandler(JobNotFoundException.class)
	ResponseEntity<Object> jobNotFound(JobNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ProblemTypes.JOB_NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler(JobFinishedException.class)
	ResponseEntity<Object> jobFinished(JobFinishedException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.JOB_FINISHED, "Job already ended", ex.getMessage());
	}

	@ExceptionHandler(IdempotencyConflictException.class)
	ResponseEntity<Object> idempotencyConflict(IdempotencyConflictException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.IDEMPOTENCY_CONFLICT, "Idempotency key reused",
				ex.getMessage());
	}

	@ExceptionHandler(InvalidCorpusException.class)
	ResponseEntity<Object> invalidCorpus(InvalidCorpusException ex) {
		return invalid(ex.getMessage(), Map.of(ex.getField(), ex.getMessage()));
	}

	@ExceptionHandler(CorpusTooLargeException.class)
	ResponseEntity<Object> corpusTooLarge(CorpusTooLargeException ex) {
		return problem(HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Request too large",
				ex.getMessage());
	}

	@ExceptionHandler(PayloadTooLargeException.class)
	ResponseEntity<Object> tooLarge(PayloadTooLargeException ex) {
		return problem(HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Request too large",
				ex.getMessage());
	}

	@ExceptionHandler(ServiceUnavailableException.class)
	ResponseEntity<Object> unavailable(ServiceUnavailableException ex) {
		HttpStatus status = HttpStatus.valueOf(ex.getStatus());
		ProblemDetail body = detail(status, ex.getType(),
				(status == HttpStatus.TOO_MANY_REQUESTS) ? "Too many requests" : "Service unavailable",
				ex.getMessage());
		long seconds = Math.max(1, (ex.getRetryAfter().toMillis() + 999) / 1000);
		return ResponseEntity.status(status).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).body(body);
	}

	@ExceptionHandler(IOException.class)
	ResponseEntity<Object> storage(IOException ex) {
		logger.error("Storage failure", ex);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(detail(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.STORAGE_UNAVAILABLE, "Storage unavailable",
					"The model storage could not be written or read; nothing was changed. Try again later."));
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

	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<Object> unexpected(RuntimeException ex) {
		logger.error("Unexpected failure", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL_ERROR, "Internal error",
				"The service failed unexpectedly; the failure is logged.");
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
		Throwable cause = ex.getCause();
		while (cause != null) {
			if (cause instanceof PayloadTooLargeException tooLarge) {
				return tooLarge(tooLarge);
			}
			if (cause instanceof InvalidSettingException setting) {
				return invalidSetting(setting);
			}
			if (cause instanceof UnrecognizedPropertyException unknown) {
				String field = unknown.getPropertyName();
				return invalid("Unknown field '" + field + "'; known fields: " + unknown.getKnownPropertyIds(),
						Map.of(field, "unknown field"));
			}
			if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
				String field = path(databind);
				return invalid("Field '" + field + "' has the wrong type or value: " + databind.getOriginalMessage(),
						Map.of(field, databind.getOriginalMessage()));
			}
			if (cause instanceof JacksonException json) {
				return invalid("The body is not valid JSON: " + json.getOriginalMessage(), Map.of());
			}
			cause = cause.getCause();
		}
		return invalid("The request body is missing or unreadable.", Map.of());
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// Spring's own errors (unknown route, wrong method, wrong media type) keep their
		// status
		// but get this service's problem format.
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
			if (ex instanceof NoResourceFoundException missing) {
				problem.setDetail("There is no endpoint " + missing.getHttpMethod() + " /" + missing.getResourcePath()
						+ "; the API is described at /openapi.yaml.");
			}
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	private static String path(DatabindException ex) {
		List<String> parts = new ArrayList<>();
		for (var reference : ex.getPath()) {
			parts.add((reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]");
		}
		return String.join(".", parts).replace(".[", "[");
	}

	private static ResponseEntity<Object> invalid(String detail, Map<String, String> errors) {
		ProblemDetail body = detail(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
		if (!errors.isEmpty()) {
			body.setProperty("errors", errors);
		}
		return ResponseEntity.badRequest().body(body);
	}

	private static ResponseEntity<Object> problem(HttpStatus status, URI type, String title, String detail) {
		return ResponseEntity.status(status).body(detail(status, type, title, detail));
	}

	private static ProblemDetail detail(HttpStatus status, URI type, String title, String detail) {
		return ProblemResponses.problem(status, type, title, detail);
	}

}

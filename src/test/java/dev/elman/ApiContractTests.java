package dev.elman;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code openapi.yaml} is the contract: every controller mapping is in it and nothing
 * else is, and real requests and responses of every operation, errors included, validate
 * against it with Atlassian's swagger-request-validator.
 */
class ApiContractTests extends LiveServiceTests {

	private static final Path CONTRACT = Path.of("openapi.yaml");

	private static OpenAPI api;

	private static OpenApiInteractionValidator validator;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	private final Set<String> exercised = new TreeSet<>();

	private final List<String> violations = new ArrayList<>();

	@BeforeAll
	static void readTheContract() {
		var parsed = new OpenAPIV3Parser().readLocation(CONTRACT.toString(), null, null);
		assertThat(parsed.getMessages()).as("openapi.yaml parses cleanly").isEmpty();
		api = parsed.getOpenAPI();
		validator = OpenApiInteractionValidator.createFor(CONTRACT.toString()).build();
	}

	@Test
	void everyControllerMappingIsInTheContractAndEveryOperationThereIsServed() {
		Set<String> served = new TreeSet<>();
		this.mappings.getHandlerMethods().forEach((info, method) -> {
			if (method.getBeanType().getPackageName().startsWith("dev.elman")) {
				served.addAll(operations(info));
			}
		});
		Set<String> documented = new TreeSet<>(contractOperations());
		documented.removeIf((operation) -> operation.contains(" /actuator/"));
		assertThat(served).isNotEmpty().isEqualTo(documented);
	}

	@Test
	void realRequestsAndResponsesOfEveryOperationMatchTheContract() throws Exception {
		String model = "contract";
		HttpResponse<String> accepted = call("POST", "/train", reversalJob(model, 2), "application/json",
				Map.of("Idempotency-Key", "contract-1"));
		String jobPath = accepted.headers().firstValue("Location").orElseThrow();
		call("POST", "/train", reversalJob(model, 3), "application/json", Map.of("Idempotency-Key", "contract-1"));
		refused("POST", "/train", "{\"name\":\"Bad Name\",\"pairs\":[]}");
		upload(model);
		call("GET", "/jobs?state=QUEUED&size=5", null, null, Map.of());
		refused("GET", "/jobs?size=1000", null);
		call("GET", "/jobs/" + UUID.randomUUID(), null, null, Map.of());
		waitForTheEnd(jobPath);
		call("GET", jobPath, null, null, Map.of());
		call("GET", jobPath + "/events", null, null, Map.of("Accept", "text/event-stream"));
		call("POST", jobPath + "/cancel", null, null, Map.of());
		HttpResponse<String> longJob = call("POST", "/train", reversalJob("contract-long", 100_000), "application/json",
				Map.of());
		call("POST", longJob.headers().firstValue("Location").orElseThrow() + "/cancel", null, null, Map.of());

		call("POST", "/generate", "{\"model\":\"" + model + "\",\"inputs\":[\"abc\",\"cab\"],\"maxLength\":5}",
				"application/json", Map.of());
		refused("POST", "/generate", "{\"model\":\"" + model + "\",\"inputs\":[]}");
		call("POST", "/generate", "{\"model\":\"absent\",\"inputs\":[\"a\"]}", "application/json", Map.of());
		refused("POST", "/generate", "{\"model\":\"m\",\"inputs\":[\"" + "a".repeat(1_100_000) + "\"]}");

		call("GET", "/models", null, null, Map.of());
		call("GET", "/models/" + model, null, null, Map.of());
		call("GET", "/models/absent", null, null, Map.of());
		call("GET", "/models/" + model + "/versions/1", null, null, Map.of());
		call("GET", "/models/" + model + "/versions/99", null, null, Map.of());
		call("PUT", "/models/" + model + "/aliases/production", "{\"version\":1}", "application/json", Map.of());
		refused("PUT", "/models/" + model + "/aliases/production", "{\"version\":0}");
		call("DELETE", "/models/" + model + "/versions/1", null, null, Map.of());
		call("DELETE", "/models/" + model + "/aliases/production", null, null, Map.of());
		call("DELETE", "/models/" + model + "/aliases/production", null, null, Map.of());
		call("DELETE", "/models/" + model + "/versions/1", null, null, Map.of());
		callWithoutKey("POST", "/train", reversalJob(model, 1));
		callWithoutKey("DELETE", "/models/" + model + "/versions/2", null);

		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
				"/actuator/info", "/actuator/prometheus")) {
			call("GET", path, null, null, Map.of());
		}

		assertThat(this.violations).isEmpty();
		assertThat(this.exercised).isEqualTo(new TreeSet<>(contractOperations()));
	}

	private void upload(String model) throws Exception {
		String boundary = "contract-boundary";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\n"
				+ "Content-Type: application/json\r\n\r\n{\"name\":\"" + model + "\",\"epochs\":1}\r\n" + "--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"corpus\"; filename=\"corpus.tsv\"\r\n"
				+ "Content-Type: text/tab-separated-values\r\n\r\nabc\tcba\nbca\tacb\r\n" + "--" + boundary + "--\r\n";
		call("POST", "/train/upload", body, "multipart/form-data; boundary=" + boundary, Map.of());
	}

	private void waitForTheEnd(String jobPath) throws Exception {
		long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < until) {
			String state = json(get(jobPath)).get("state").stringValue();
			if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
				return;
			}
			Thread.sleep(50);
		}
		throw new AssertionError(jobPath + " did not end");
	}

	/** Sends a request with the API key and checks both it and its response. */
	private HttpResponse<String> call(String method, String target, String body, String contentType,
			Map<String, String> headers) throws Exception {
		return exchange(method, target, body, contentType, headers, true, true);
	}

	/** Sends a request without the key; only the response is checked, being refused. */
	private void callWithoutKey(String method, String target, String body) throws Exception {
		HttpResponse<String> response = exchange(method, target, body, (body != null) ? "application/json" : null,
				Map.of(), false, false);
		assertThat(response.statusCode()).isEqualTo(401);
	}

	/**
	 * Sends a request that breaks the contract on purpose; only the response, a 4xx
	 * problem, is checked.
	 */
	private void refused(String method, String target, String body) throws Exception {
		HttpResponse<String> response = exchange(method, target, body, (body != null) ? "application/json" : null,
				Map.of(), true, false);
		assertThat(response.statusCode()).isBetween(400, 499);
	}

	private HttpResponse<String> exchange(String method, String target, String body, String contentType,
			Map<String, String> headers, boolean withKey, boolean validRequest) throws Exception {
		HttpRequest.Builder builder = withKey ? authorized(target) : request(target);
		headers.forEach(builder::header);
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		builder.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		builder.timeout(Duration.ofMinutes(1));
		HttpResponse<String> response = send(builder);

		URI uri = URI.create(target);
		SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getPath());
		if (uri.getQuery() != null) {
			for (String pair : uri.getQuery().split("&")) {
				String[] parts = pair.split("=", 2);
				request.withQueryParam(parts[0], parts[1]);
			}
		}
		headers.forEach(request::withHeader);
		if (withKey) {
			request.withAuthorization("Bearer " + API_KEY);
		}
		if (contentType != null) {
			request.withContentType(contentType);
		}
		if (body != null) {
			request.withBody(body, StandardCharsets.UTF_8);
		}
		SimpleResponse.Builder answer = new SimpleResponse.Builder(response.statusCode());
		response.headers().map().forEach(answer::withHeader);
		if (!response.body().isEmpty()) {
			answer.withBody(response.body(), StandardCharsets.UTF_8);
		}
		SimpleRequest sent = request.build();
		ValidationReport report = validRequest ? validator.validate(sent, answer.build())
				: validator.validateResponse(uri.getPath(), Request.Method.valueOf(method), answer.build());
		if (report.hasErrors()) {
			this.violations.add(method + " " + target + " -> " + response.statusCode() + ": "
					+ report.getMessages().stream().map((message) -> abbreviate(message.toString())).toList());
		}
		this.exercised.add(method + " " + template(uri.getPath()));
		return response;
	}

	private static String abbreviate(String message) {
		return (message.length() > 400) ? message.substring(0, 400) + "..." : message;
	}

	/** The contract's path template a concrete path falls under. */
	private static String template(String path) {
		for (String template : api.getPaths().keySet()) {
			String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
			if (path.matches(regex)) {
				return template;
			}
		}
		return path + " (not in the contract)";
	}

	private static List<String> contractOperations() {
		List<String> operations = new ArrayList<>();
		api.getPaths()
			.forEach((path, item) -> item.readOperationsMap()
				.keySet()
				.forEach((method) -> operations.add(method.name() + " " + path)));
		return operations;
	}

	private static List<String> operations(RequestMappingInfo info) {
		List<String> operations = new ArrayList<>();
		Set<String> patterns = info.getPathPatternsCondition().getPatternValues();
		info.getMethodsCondition()
			.getMethods()
			.forEach((method) -> patterns.forEach((pattern) -> operations.add(method.name() + " " + pattern)));
		return operations;
	}

}

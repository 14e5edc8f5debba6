package dev.elman.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.elman.ElmanApplication;
import dev.elman.TestFolders;
import dev.elman.TestModels;
import dev.elman.engine.ComputeEngine;
import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated bodies, content types, headers and path segments sent to every operation of
 * {@code openapi.yaml} on the running application. Whatever arrives: never a 5xx, every
 * 4xx is problem+json with the request's id, no answer names a server folder or a Java
 * class, the service stays healthy, and the model stored before is unchanged, byte for
 * byte.
 */
class ContractFuzzTests {

	/** A model no generated name hits, protected by an alias from deletion. */
	private static final String KEPT = "kept-c0ffee";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static ConfigurableApplicationContext application;

	private static Path data;

	private static int port;

	private static OpenAPI api;

	private static Map<String, String> keptFiles;

	@BeforeContainer
	static void startTheService() throws Exception {
		data = TestFolders.temporary("fuzz");
		ComputeEngine.startOnCpu();
		try (ModelRegistry registry = new ModelRegistry(data.resolve("models"), Clock.systemUTC());
				Seq2SeqModel model = TestModels.untrained(11)) {
			registry.publish(KEPT, model, Map.of());
			registry.setAlias(KEPT, "keep", 1);
			// A model the generated requests may use, change and delete.
			registry.publish("fuzz", model, Map.of());
			registry.publish("fuzz", model, Map.of());
			registry.setAlias("fuzz", "production", 1);
		}
		keptFiles = checksums(data.resolve("models").resolve(KEPT));
		application = new SpringApplicationBuilder(ElmanApplication.class).run("--server.port=0",
				"--elman.data-dir=" + data, "--elman.jobs.queue-capacity=4");
		port = ((WebServerApplicationContext) application).getWebServer().getPort();
		api = new OpenAPIV3Parser().read("openapi.yaml");
	}

	@AfterContainer
	static void theServiceIsHealthyAndKeptWhatItHad() throws Exception {
		try {
			HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
			assertThat(checksums(data.resolve("models").resolve(KEPT))).isEqualTo(keptFiles);
			HttpResponse<String> generated = HTTP.send(HttpRequest.newBuilder(uri("/generate"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"model\":\"" + KEPT + "\",\"alias\":\"keep\",\"inputs\":[\"ab\"]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
		}
		finally {
			application.close();
		}
	}

	@Provide
	Arbitrary<FuzzRequest> requests() {
		return FuzzRequests.requests(api);
	}

	@Property(tries = 1500)
	void everyOperationAnswersAnythingWithoutAServerError(@ForAll("requests") FuzzRequest request) throws Exception {
		HttpRequest.Builder builder;
		try {
			builder = HttpRequest.newBuilder(uri(request.path())).timeout(Duration.ofSeconds(30));
			request.headers().forEach(builder::header);
			if (request.contentType() != null) {
				builder.header("Content-Type", request.contentType());
			}
		}
		catch (IllegalArgumentException ex) {
			// A header value or path the client library itself refuses to send.
			Assume.that(false);
			return;
		}
		HttpRequest.BodyPublisher body = (request.body() == null) ? HttpRequest.BodyPublishers.noBody()
				: request.chunked()
						? HttpRequest.BodyPublishers
							.ofInputStream(() -> new java.io.ByteArrayInputStream(request.body()))
						: HttpRequest.BodyPublishers.ofByteArray(request.body());
		HttpResponse<String> response = HTTP.send(builder.method(request.method(), body).build(),
				HttpResponse.BodyHandlers.ofString());
		int status = response.statusCode();
		// Printed after the run: which answers the generated requests reached.
		Statistics.label("status").collect(status);
		assertThat(status).as("status of %s: %s", request, response.body()).isLessThan(500);
		assertThat(response.body()).as("answer to %s", request)
			.doesNotContain(data.toString())
			.doesNotContain("Exception")
			.doesNotContain("\tat ")
			.doesNotContainIgnoringCase("<html");
		String id = response.headers().firstValue("X-Request-Id").orElse(null);
		assertThat(id).as("request id of %s", request).isNotBlank();
		if (status >= 400 && !request.method().equals("HEAD")) {
			assertThat(response.headers().firstValue("Content-Type")).as("type of %s", request)
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			JsonNode problem = JSON.readTree(response.body());
			assertThat(problem.get("status").intValue()).isEqualTo(status);
			assertThat(problem.get("type").stringValue()).startsWith("https://elman.dev/problems/");
			assertThat(problem.get("requestId").stringValue()).isEqualTo(id);
		}
		if (status == 202 && request.path().startsWith("/train")) {
			// A generated request that happens to be a valid job: let it go at once.
			String job = response.headers().firstValue("Location").orElseThrow();
			HTTP.send(HttpRequest.newBuilder(uri(job + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.discarding());
		}
	}

	private static URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	private static Map<String, String> checksums(Path folder) throws IOException {
		Map<String, String> sums = new TreeMap<>();
		try (Stream<Path> files = Files.walk(folder)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				try (InputStream in = Files.newInputStream(file)) {
					MessageDigest digest = MessageDigest.getInstance("SHA-256");
					digest.update(in.readAllBytes());
					sums.put(folder.relativize(file).toString(), HexFormat.of().formatHex(digest.digest()));
				}
				catch (java.security.NoSuchAlgorithmException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return sums;
	}

}

package dev.elman;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "elman.data-dir=target/app-test-data", "elman.device=auto" })
class ElmanApplicationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void infoShowsTheEngineItsVersionAndTheDevice() throws Exception {
		HttpResponse<String> info = get("/actuator/info");
		assertThat(info.statusCode()).isEqualTo(200);
		assertThat(info.body()).contains("\"name\":\"PyTorch\"")
			.contains("\"version\":\"2.7.1\"")
			.contains("\"device\":\"cpu()\"");
		assertThat(JSON.readTree(info.body()).at("/engine/mklKernels").stringValue())
			.matches(MklStatus.LOADED_OR_NOT_NEEDED);
	}

	@Test
	void livenessAndReadinessAreServed() throws Exception {
		JsonNode liveness = JSON.readTree(get("/actuator/health/liveness").body());
		assertThat(liveness.get("status").stringValue()).isEqualTo("UP");
		assertThat(liveness.get("components").propertyNames()).containsExactlyInAnyOrder("livenessState",
				"backgroundWork");
		assertThat(liveness.get("components").get("backgroundWork").get("details").propertyNames())
			.contains("registryScan", "jobEvents", "generationWorkers", "trainingQueuePolling");
		JsonNode readiness = JSON.readTree(get("/actuator/health/readiness").body());
		assertThat(readiness.get("status").stringValue()).isEqualTo("UP");
		assertThat(readiness.get("components").propertyNames()).containsExactlyInAnyOrder("readinessState", "engine",
				"backgroundWork");
	}

	@Test
	void healthReportsTheEngineTheRegistryTheTrainingQueueAndTheDatabase() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode components = JSON.readTree(response.body()).get("components");
		JsonNode engine = components.get("engine");
		assertThat(engine.get("status").stringValue()).isEqualTo("UP");
		assertThat(engine.get("details").get("version").stringValue()).isEqualTo("2.7.1");
		assertThat(engine.get("details").get("device").stringValue()).isEqualTo("cpu()");
		JsonNode registry = components.get("registry");
		assertThat(registry.get("status").stringValue()).isEqualTo("UP");
		assertThat(registry.get("details").get("writable").booleanValue()).isTrue();
		assertThat(registry.get("details").get("freeBytes").longValue()).isPositive();
		assertThat(registry.get("details").get("corruptVersions").intValue()).isZero();
		JsonNode queue = components.get("trainingQueue");
		assertThat(queue.get("status").stringValue()).isEqualTo("UP");
		assertThat(queue.get("details").get("schedulerRunning").booleanValue()).isTrue();
		assertThat(queue.get("details").get("queued").longValue()).isZero();
		assertThat(components.get("db").get("status").stringValue()).isEqualTo("UP");
		// Anyone may read health: it names no folder of the server's.
		assertThat(components.get("diskSpace")).isNull();
		assertThat(response.body()).doesNotContain(Path.of("target/app-test-data").toAbsolutePath().toString());
	}

	@Test
	void onlyHealthInfoAndPrometheusAreExposed() throws Exception {
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
	}

	@Test
	void anUnknownEndpointIsAProblemThatPointsToTheContract() throws Exception {
		HttpResponse<String> response = get("/modles/adder");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("https://elman.dev/problems/no-such-endpoint");
		assertThat(problem.get("detail").stringValue())
			.isEqualTo("There is no endpoint GET /modles/adder; the API is described at /openapi.yaml.");
	}

	@Test
	void servesItsApiContract() throws Exception {
		HttpResponse<String> contract = get("/openapi.yaml");
		assertThat(contract.statusCode()).isEqualTo(200);
		assertThat(contract.body()).startsWith("openapi: 3.0.3").contains("/generate:");
		assertThat(contract.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/yaml"));
		assertThat(contract.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
	}

	@Test
	void theConsolesLibrariesAreNotSniffedEither() throws Exception {
		HttpResponse<String> library = get("/webjars/uplot/dist/uPlot.iife.min.js");
		assertThat(library.statusCode()).isEqualTo(200);
		assertThat(library.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

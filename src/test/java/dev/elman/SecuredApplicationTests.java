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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service with API keys set, over real HTTP: training needs a key, reads, health and
 * generation do not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecuredApplicationTests {

	private static final String KEY = "3f6c1e0a9b8d7c6b5a4f3e2d1c0b9a88";

	private static final Path dataDir = TestFolders.temporary("secured");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
		registry.add("elman.security.api-keys", () -> KEY);
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void trainingNeedsTheKeyAndTheRefusalIsAProblemWithTheRequestId() throws Exception {
		String body = LiveServiceTests.reversalJob("guarded", 1);
		HttpResponse<String> refused = send(train(body).header("X-Request-Id", "no-key-1"));
		assertThat(refused.statusCode()).isEqualTo(401);
		JsonNode problem = JSON.readTree(refused.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("https://elman.dev/problems/api-key-missing");
		assertThat(problem.get("requestId").stringValue()).isEqualTo("no-key-1");

		assertThat(send(train(body).header("Authorization", "Bearer wrong-key-wrong-key-wrong")).statusCode())
			.isEqualTo(403);
		assertThat(send(train(body).header("Authorization", "Bearer " + KEY)).statusCode()).isEqualTo(202);
	}

	@Test
	void readsHealthAndGenerationStayOpen() throws Exception {
		assertThat(send(request("/jobs")).statusCode()).isEqualTo(200);
		assertThat(send(request("/models")).statusCode()).isEqualTo(200);
		assertThat(send(request("/actuator/health/readiness")).statusCode()).isEqualTo(200);
		HttpResponse<String> generate = send(request("/generate").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"absent\",\"inputs\":[\"a\"]}")));
		assertThat(generate.statusCode()).isEqualTo(404);
	}

	private HttpRequest.Builder train(String body) {
		return request("/train").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}

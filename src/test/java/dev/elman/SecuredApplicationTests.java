package dev.elman;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service with an API key, over real HTTP: training needs the key; reads, health and
 * generation do not.
 */
class SecuredApplicationTests extends LiveServiceTests {

	@Test
	void trainingNeedsTheKeyAndTheRefusalIsAProblemWithTheRequestId() throws Exception {
		String body = reversalJob("guarded", 1);
		HttpResponse<String> refused = send(train(body).header("X-Request-Id", "no-key-1"));
		assertThat(refused.statusCode()).isEqualTo(401);
		JsonNode problem = json(refused);
		assertThat(problem.get("type").stringValue()).isEqualTo("https://elman.dev/problems/api-key-missing");
		assertThat(problem.get("requestId").stringValue()).isEqualTo("no-key-1");

		assertThat(send(train(body).header("Authorization", "Bearer wrong-key-wrong-key-wrong")).statusCode())
			.isEqualTo(403);
		assertThat(send(train(body).header("X-API-Key", API_KEY)).statusCode()).isEqualTo(202);
	}

	@Test
	void readsHealthAndGenerationStayOpen() throws Exception {
		assertThat(get("/jobs").statusCode()).isEqualTo(200);
		assertThat(get("/models").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		HttpResponse<String> generate = send(request("/generate").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"absent\",\"inputs\":[\"a\"]}")));
		assertThat(generate.statusCode()).isEqualTo(404);
	}

	private HttpRequest.Builder train(String body) {
		return request("/train").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

}

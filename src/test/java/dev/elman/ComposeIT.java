package dev.elman;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.elman.ComposeProject.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}: it validates, and {@code up} brings the service and
 * Prometheus to healthy, with Prometheus scraping the service's metrics.
 */
class ComposeIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ComposeProject compose = new ComposeProject("docker-compose.yml");

	private final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void takeItDown() throws Exception {
		this.compose.down();
	}

	@Test
	void upStartsTheServiceAndAPrometheusThatScrapesIt() throws Exception {
		int servicePort = PackagedService.freePort();
		int prometheusPort = PackagedService.freePort();
		this.compose.with("ELMAN_PORT", Integer.toString(servicePort))
			.with("PROMETHEUS_PORT", Integer.toString(prometheusPort));

		assertThat(this.compose.run(Duration.ofMinutes(1), "config", "--quiet")).isEmpty();
		this.compose.run(Duration.ofMinutes(5), "up", "--detach", "--build");

		waitUntil(Duration.ofMinutes(3), "both containers are healthy",
				() -> this.compose.health("elman").equals("healthy")
						&& this.compose.health("prometheus").equals("healthy"));
		assertThat(this.compose.containers()).hasSize(2);
		assertThat(get(servicePort, "/actuator/health/readiness")).contains("\"status\":\"UP\"");

		waitUntil(Duration.ofMinutes(2), "Prometheus has scraped the service", () -> {
			JsonNode result = JSON.readTree(get(prometheusPort, "/api/v1/query?query=elman_registry_models"))
				.path("data")
				.path("result");
			return result.size() == 1 && result.get(0).path("metric").path("job").stringValue().equals("elman");
		});
		JsonNode up = JSON.readTree(get(prometheusPort, "/api/v1/query?query=up%7Bjob%3D%22elman%22%7D"));
		assertThat(up.path("data").path("result").get(0).path("value").get(1).stringValue()).isEqualTo("1");
	}

	private String get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

}

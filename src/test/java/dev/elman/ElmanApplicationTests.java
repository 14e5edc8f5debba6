package dev.elman;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "elman.data-dir=target/app-test-data", "elman.device=auto" })
class ElmanApplicationTests {

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
	}

	@Test
	void livenessAndReadinessAreServed() throws Exception {
		assertThat(get("/actuator/health/liveness").body()).contains("\"status\":\"UP\"");
		assertThat(get("/actuator/health/readiness").body()).contains("\"status\":\"UP\"");
	}

	@Test
	void onlyHealthInfoAndPrometheusAreExposed() throws Exception {
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
	}

	@Test
	void servesItsApiContract() throws Exception {
		HttpResponse<String> contract = get("/openapi.yaml");
		assertThat(contract.statusCode()).isEqualTo(200);
		assertThat(contract.body()).startsWith("openapi: 3.1.0").contains("/generate:");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

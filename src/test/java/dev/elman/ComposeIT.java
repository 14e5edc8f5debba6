package dev.elman;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.PruneType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}: it validates, and {@code up} brings the service and
 * Prometheus to healthy, with Prometheus scraping the service's metrics.
 */
class ComposeIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String project = "elman-it-" + UUID.randomUUID().toString().substring(0, 8);

	private final String image = "elman-compose-it:" + this.project;

	private final HttpClient http = HttpClient.newHttpClient();

	private final Map<String, String> environment = new HashMap<>();

	@AfterEach
	void takeItDown() throws Exception {
		compose(Duration.ofMinutes(2), "down", "--volumes", "--timeout", "60");
		DockerClient docker = DockerClientFactory.instance().client();
		docker.removeImageCmd(this.image).withForce(true).exec();
		docker.pruneCmd(PruneType.IMAGES).withDangling(true).withLabelFilter("dev.elman.build-stage=layers").exec();
	}

	@Test
	void upStartsTheServiceAndAPrometheusThatScrapesIt() throws Exception {
		int servicePort = PackagedService.freePort();
		int prometheusPort = PackagedService.freePort();
		this.environment.put("ELMAN_IMAGE", this.image);
		this.environment.put("ELMAN_PORT", Integer.toString(servicePort));
		this.environment.put("PROMETHEUS_PORT", Integer.toString(prometheusPort));
		this.environment.put("BASE_IMAGE", System.getProperty("elman.docker.base-image", "eclipse-temurin:17-jre"));
		this.environment.put("PROMETHEUS_IMAGE",
				System.getProperty("elman.docker.prometheus-image", "prom/prometheus:v2.53.2"));

		assertThat(compose(Duration.ofMinutes(1), "config", "--quiet")).isEmpty();
		compose(Duration.ofMinutes(5), "up", "--detach", "--build");

		waitUntil(Duration.ofMinutes(3), "both containers are healthy", () -> {
			List<String> health = new ArrayList<>();
			for (Container container : containers()) {
				InspectContainerResponse inspected = DockerClientFactory.instance()
					.client()
					.inspectContainerCmd(container.getId())
					.exec();
				health.add(inspected.getState().getHealth().getStatus());
			}
			return health.size() == 2 && health.stream().allMatch("healthy"::equals);
		});
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

	private List<Container> containers() {
		return DockerClientFactory.instance()
			.client()
			.listContainersCmd()
			.withLabelFilter(Map.of("com.docker.compose.project", this.project))
			.exec();
	}

	private String compose(Duration timeout, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(composeCommand());
		command.addAll(List.of("--project-name", this.project, "--file", "docker-compose.yml"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(this.environment);
		Path output = Files.createTempFile("compose", ".log");
		builder.redirectOutput(output.toFile());
		Process process = builder.start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(String.join(" ", command) + " took longer than " + timeout);
		}
		String log = Files.readString(output, StandardCharsets.UTF_8);
		Files.delete(output);
		assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + log).isZero();
		return log;
	}

	/** Docker Compose v2 as a CLI plugin, or Debian's docker-compose (v1). */
	private static List<String> composeCommand() throws Exception {
		Process plugin = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
		plugin.getInputStream().readAllBytes();
		return (plugin.waitFor() == 0) ? List.of("docker", "compose") : List.of("docker-compose");
	}

	private String get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private static void waitUntil(Duration timeout, String what, Condition condition) throws Exception {
		long until = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < until) {
			try {
				if (condition.holds()) {
					return;
				}
			}
			catch (IOException | RuntimeException ex) {
				// Not up yet.
			}
			Thread.sleep(1000);
		}
		throw new AssertionError("Timed out waiting until " + what);
	}

	@FunctionalInterface
	private interface Condition {

		boolean holds() throws Exception;

	}

}

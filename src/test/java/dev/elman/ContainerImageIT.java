package dev.elman;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.PruneType;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker image, built from the Dockerfile and the packaged jar: it becomes healthy
 * (its own HEALTHCHECK), runs as a non-root user, trains and serves over HTTP, reports
 * health and metrics, stops gracefully, and a new container on the same volume still
 * serves the model.
 */
class ContainerImageIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String API_KEY = "c0ffee00c0ffee00c0ffee00c0ffee00";

	private final HttpClient http = HttpClient.newHttpClient();

	private final String volume = "elman-it-" + UUID.randomUUID();

	private GenericContainer<?> container;

	private final String imageName = "elman-it:" + UUID.randomUUID();

	@AfterEach
	void removeEverything() {
		if (this.container != null) {
			this.container.stop();
		}
		DockerClient docker = DockerClientFactory.instance().client();
		docker.removeVolumeCmd(this.volume).exec();
		docker.removeImageCmd(this.imageName).withForce(true).exec();
		// The build's first stage, left behind untagged; the label picks only such
		// images.
		docker.pruneCmd(PruneType.IMAGES).withDangling(true).withLabelFilter("dev.elman.build-stage=layers").exec();
	}

	@Test
	void theImageTrainsServesReportsAndKeepsItsModelsAcrossContainers() throws Exception {
		ImageFromDockerfile image = new ImageFromDockerfile(this.imageName, false)
			.withFileFromPath("Dockerfile", Path.of("Dockerfile"))
			.withFileFromPath("docker/healthcheck.sh", Path.of("docker/healthcheck.sh"))
			.withFileFromPath("target/elman.jar", Path.of(System.getProperty("elman.jar", "target/elman.jar")))
			.withBuildArg("BASE_IMAGE", System.getProperty("elman.docker.base-image", "eclipse-temurin:17-jre"));

		this.container = start(image);
		assertThat(this.container.execInContainer("id", "-u").getStdout().trim()).isEqualTo("10001");

		HttpResponse<String> accepted = send(request("/train").header("Authorization", "Bearer " + API_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(LiveServiceTests.reversalJob("boxed", 3))));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		JsonNode job = waitForTheEnd(location);
		assertThat(job.get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertGenerates();

		JsonNode health = JSON.readTree(send(request("/actuator/health")).body());
		assertThat(health.get("status").stringValue()).isEqualTo("UP");
		// MKL's dispatch library loads in the image (or is not needed on this processor).
		assertThat(JSON.readTree(send(request("/actuator/info")).body()).at("/engine/mklKernels").stringValue())
			.matches(MklStatus.LOADED_OR_NOT_NEEDED);
		assertThat(health.get("components").get("registry").get("details").get("versions").intValue()).isEqualTo(1);
		String metrics = send(request("/actuator/prometheus")).body();
		// Every series names the replica: the container's elman.instance-id.
		assertThat(metrics).contains("elman_generation_latency_seconds_count{model=\"boxed\",replica=\"boxed-1\"} 1")
			.contains("elman_jobs{replica=\"boxed-1\",state=\"succeeded\"} 1");

		// docker stop: SIGTERM, then the graceful shutdown.
		this.container.getDockerClient().stopContainerCmd(this.container.getContainerId()).withTimeout(60).exec();
		assertThat(this.container.getLogs()).contains("Graceful shutdown complete");
		this.container.stop();

		this.container = start(image);
		assertGenerates();
		assertThat(send(request(location)).body()).contains("\"state\":\"SUCCEEDED\"");
	}

	private GenericContainer<?> start(ImageFromDockerfile image) {
		GenericContainer<?> started = new GenericContainer<>(image).withExposedPorts(8080)
			.withEnv("ELMAN_SECURITY_API_KEYS", API_KEY)
			.withEnv("ELMAN_INSTANCE_ID", "boxed-1")
			.withCreateContainerCmdModifier(
					(command) -> command.getHostConfig().withBinds(new Bind(this.volume, new Volume("/data"))))
			.waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
		started.start();
		return started;
	}

	private void assertGenerates() throws Exception {
		HttpResponse<String> generated = send(request("/generate").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"boxed\",\"inputs\":[\"abc\"]}")));
		assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
		assertThat(generated.body()).contains("\"model\":\"boxed\"", "\"version\":1");
	}

	private JsonNode waitForTheEnd(String location) throws Exception {
		long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < until) {
			JsonNode job = JSON.readTree(send(request(location)).body());
			String state = job.get("state").stringValue();
			if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
				return job;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("Job " + location + " did not end in time");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(
				URI.create("http://" + this.container.getHost() + ":" + this.container.getMappedPort(8080) + path));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}

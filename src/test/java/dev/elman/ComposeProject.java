package dev.elman;

import java.io.IOException;
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
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.PruneType;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One of the repository's compose files brought up under a project name of its own, with
 * the service image built under a tag of its own, for the compose tests. The images that
 * cannot be pulled here come from the system properties the build sets (the images the
 * scripts build from Debian's packages).
 */
final class ComposeProject {

	private final String file;

	private final String name = "elman-it-" + UUID.randomUUID().toString().substring(0, 8);

	private final String image = "elman-compose-it:" + this.name;

	private final Map<String, String> environment = new HashMap<>();

	ComposeProject(String file) {
		this.file = file;
		this.environment.put("ELMAN_IMAGE", this.image);
		this.environment.put("BASE_IMAGE", System.getProperty("elman.docker.base-image", "eclipse-temurin:17-jre"));
		this.environment.put("PROMETHEUS_IMAGE",
				System.getProperty("elman.docker.prometheus-image", "prom/prometheus:v2.53.2"));
		this.environment.put("POSTGRES_IMAGE", System.getProperty("elman.test.postgres-image", "postgres:15"));
		this.environment.put("HAPROXY_IMAGE", System.getProperty("elman.docker.haproxy-image", "haproxy:2.6"));
	}

	/** Sets a variable the compose file reads. */
	ComposeProject with(String variable, String value) {
		this.environment.put(variable, value);
		return this;
	}

	/**
	 * Runs a compose command and fails the test if it fails.
	 * @return its output
	 */
	String run(Duration timeout, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(composeCommand());
		command.addAll(List.of("--project-name", this.name, "--file", this.file));
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

	/** The project's containers, running or not. */
	List<Container> containers() {
		return DockerClientFactory.instance()
			.client()
			.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of("com.docker.compose.project", this.name))
			.exec();
	}

	/** The container of one service. */
	String containerOf(String service) {
		return containers().stream()
			.filter((container) -> service.equals(container.getLabels().get("com.docker.compose.service")))
			.map(Container::getId)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No container for " + service));
	}

	/**
	 * The address of a service's container on its compose network, reachable from this
	 * host.
	 */
	String address(String service) {
		var networks = DockerClientFactory.instance()
			.client()
			.inspectContainerCmd(containerOf(service))
			.exec()
			.getNetworkSettings()
			.getNetworks();
		return networks.values().iterator().next().getIpAddress();
	}

	/** The health of a service's container: starting, healthy or unhealthy. */
	String health(String service) {
		var state = DockerClientFactory.instance().client().inspectContainerCmd(containerOf(service)).exec().getState();
		return (state.getHealth() != null) ? state.getHealth().getStatus() : String.valueOf(state.getStatus());
	}

	/** Takes everything down, volumes and the built image included. */
	void down() throws Exception {
		try {
			run(Duration.ofMinutes(2), "down", "--volumes", "--timeout", "60");
		}
		finally {
			DockerClient docker = DockerClientFactory.instance().client();
			docker.removeImageCmd(this.image).withForce(true).exec();
			docker.pruneCmd(PruneType.IMAGES).withDangling(true).withLabelFilter("dev.elman.build-stage=layers").exec();
		}
	}

	/** Docker Compose v2 as a CLI plugin, or Debian's docker-compose (v1). */
	private static List<String> composeCommand() throws Exception {
		Process plugin = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
		plugin.getInputStream().readAllBytes();
		return (plugin.waitFor() == 0) ? List.of("docker", "compose") : List.of("docker-compose");
	}

	/**
	 * Waits, looking once a second, until a condition holds; errors while looking (not up
	 * yet) count as not holding.
	 */
	static void waitUntil(Duration timeout, String what, Condition condition) throws Exception {
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
	interface Condition {

		boolean holds() throws Exception;

	}

}

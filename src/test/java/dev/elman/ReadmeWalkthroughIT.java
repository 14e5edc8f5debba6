package dev.elman;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md's walkthrough, run as a new user would paste it: every
 * {@code bash walkthrough} block, in order, in one shell, against the packaged service
 * started with its defaults on an empty data folder. {@code curl} fails on any error
 * status here, so a command that answers 4xx or 5xx fails the test as it would puzzle the
 * user. The start itself must log no warning but the documented one about API keys.
 */
class ReadmeWalkthroughIT {

	private static final String FENCE = "```";

	private PackagedService service;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.service != null) {
			this.service.terminate();
		}
	}

	@Test
	void theWalkthroughRunsAsWrittenOnAFreshService() throws Exception {
		List<String> blocks = walkthroughBlocks(Files.readString(Path.of("README.md")));
		assertThat(blocks).as("README.md has walkthrough blocks").hasSizeGreaterThanOrEqualTo(5);
		Path data = TestFolders.temporary("readme");
		this.service = PackagedService.start(data, "readme");

		List<String> warnings = this.service.log()
			.lines()
			.filter((line) -> line.contains(" WARN ") || line.contains(" ERROR "))
			.filter((line) -> !line.contains("No API keys are set"))
			.toList();
		assertThat(warnings).as("warnings of a clean start").isEmpty();

		String port = this.service.uri("/").getPort() + "";
		// As in a user's shell, a pipeline's status is its last command's ("| head" ends
		// curl early).
		String script = "set -eu\n"
				// Every error status fails the command, and with it the walkthrough.
				+ "curl() { command curl --fail-with-body --max-time 600 \"$@\"; }\n"
				+ String.join("\n", blocks).replace("localhost:8080", "localhost:" + port);
		Path workdir = Files.createDirectories(data.resolve("user"));
		Path output = workdir.resolve("walkthrough.out");
		Process shell = new ProcessBuilder("bash", "-c", script).directory(workdir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(shell.waitFor(10, TimeUnit.MINUTES)).as("the walkthrough ends").isTrue();
		String printed = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(shell.exitValue()).as(printed).isZero();
		assertThat(printed).contains("event:end")
			.contains("\"state\":\"SUCCEEDED\"")
			.contains("\"result\":{\"model\":\"adder\",\"version\":1}")
			// The answers README.md shows: 16+75 and 314+159, which the model gets right.
			.contains("{\"model\":\"adder\",\"version\":1,\"outputs\":[{\"text\":\"91\",")
			.contains("{\"text\":\"473\",");
	}

	/** The bodies of the blocks fenced as {@code ```bash walkthrough}, in order. */
	static List<String> walkthroughBlocks(String markdown) {
		List<String> blocks = new ArrayList<>();
		StringBuilder block = null;
		for (String line : markdown.split("\n", -1)) {
			if (block == null && line.strip().equals(FENCE + "bash walkthrough")) {
				block = new StringBuilder();
			}
			else if (block != null && line.strip().equals(FENCE)) {
				blocks.add(block.toString());
				block = null;
			}
			else if (block != null) {
				block.append(line).append('\n');
			}
		}
		assertThat(block).as("every walkthrough block is closed").isNull();
		return blocks;
	}

}

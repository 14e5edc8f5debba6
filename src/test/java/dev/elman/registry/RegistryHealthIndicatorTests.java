package dev.elman.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.elman.TestModels;
import dev.elman.engine.ComputeEngine;
import dev.elman.model.Seq2SeqModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryHealthIndicatorTests {

	@TempDir
	Path root;

	private ModelRegistry registry;

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@BeforeEach
	void open() {
		this.registry = new ModelRegistry(this.root, Clock.systemUTC());
	}

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void countsModelsVersionsAndCorruptVersionsAndStaysUpWhileOthersCanBeServed() throws Exception {
		try (Seq2SeqModel model = TestModels.untrained(1)) {
			this.registry.publish("adder", model, Map.of());
			this.registry.publish("adder", model, Map.of());
			this.registry.publish("dates", model, Map.of());
		}
		ModelRegistryTests.flipAByte(this.root.resolve("adder/2/parameters.params"));
		this.registry.scan();

		Health health = new RegistryHealthIndicator(this.registry, DataSize.ofBytes(1)).health(true);

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("writable", true)
			.containsEntry("models", 2)
			.containsEntry("versions", 3)
			.containsEntry("corruptVersions", 1)
			.containsEntry("minFreeBytes", 1L)
			.doesNotContainKey("error");
		assertThat((long) health.getDetails().get("freeBytes")).isPositive();
	}

	@Test
	void isDownWhenTheDiskHasLessFreeSpaceThanTheThreshold() {
		long free = this.root.toFile().getUsableSpace();
		DataSize moreThanThereIs = DataSize.ofBytes(free + DataSize.ofGigabytes(1024).toBytes());

		Health health = new RegistryHealthIndicator(this.registry, moreThanThereIs).health(true);

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error").toString()).startsWith("Less free disk than");
	}

	@Test
	void isDownWhenTheFolderIsGone() throws Exception {
		Files.delete(this.root);
		Files.writeString(this.root, "a file where the folder was");

		Health health = new RegistryHealthIndicator(this.registry, DataSize.ofBytes(1)).health(true);

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("writable", false)
			.containsEntry("error", "The registry folder cannot be written");
	}

}

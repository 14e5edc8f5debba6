package dev.elman.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.djl.Device;
import dev.elman.TestModels;
import dev.elman.engine.ComputeEngine;
import dev.elman.http.InvalidFieldException;
import dev.elman.model.ModelManifest;
import dev.elman.model.Seq2SeqModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ModelRegistryTests {

	@TempDir
	Path root;

	private ModelRegistry registry;

	private Seq2SeqModel model;

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@BeforeEach
	void open() {
		this.registry = new ModelRegistry(this.root, Clock.systemUTC());
		this.model = TestModels.untrained(1);
	}

	@AfterEach
	void close() {
		this.registry.close();
		this.model.close();
	}

	@Test
	void publishesVersionsThatCountUpWithAManifestAndChecksumsOfEveryFile() throws Exception {
		ResolvedVersion first = this.registry.publish("adder", this.model, Map.of("job", "j-1"));
		ResolvedVersion second = this.registry.publish("adder", this.model, Map.of());
		assertThat(first.version()).isEqualTo(1);
		assertThat(second.version()).isEqualTo(2);
		Path folder = this.root.resolve("adder").resolve("1");
		assertThat(folder.resolve("manifest.json")).isRegularFile();
		assertThat(folder.resolve("parameters.params")).isRegularFile();
		List<String> sums = Files.readAllLines(folder.resolve(Checksums.FILE));
		assertThat(sums).containsExactly(Checksums.sha256(folder.resolve("manifest.json")) + "  manifest.json",
				Checksums.sha256(folder.resolve("parameters.params")) + "  parameters.params");
		ModelManifest manifest = this.registry.manifest("adder", 1);
		assertThat(manifest.metadata()).containsEntry("job", "j-1").containsKeys("createdAt", "engine", "files");
		assertThat(manifest.metadata().get("files"))
			.isEqualTo(Map.of("parameters.params", Checksums.sha256(folder.resolve("parameters.params"))));
		assertThat(this.registry.model("adder").latest()).isEqualTo(2);
		assertThat(this.registry.resolve("adder", null, null).version()).isEqualTo(2);
	}

	@Test
	void aFlippedByteMakesAVersionCorruptAndLatestFallsBackToTheLastGoodOne() throws Exception {
		this.registry.publish("adder", this.model, Map.of());
		this.registry.publish("adder", this.model, Map.of());
		flipAByte(this.root.resolve("adder/2/parameters.params"));
		this.registry.scan();
		VersionInfo corrupt = this.registry.model("adder").version(2);
		assertThat(corrupt.status()).isEqualTo(VersionStatus.CORRUPT);
		assertThat(corrupt.problem()).isEqualTo("parameters.params does not match its checksum");
		assertThat(this.registry.model("adder").latest()).isEqualTo(1);
		assertThat(this.registry.resolve("adder", null, null).version()).isEqualTo(1);
		assertThatExceptionOfType(CorruptVersionException.class)
			.isThrownBy(() -> this.registry.resolve("adder", 2, null))
			.withMessageContaining("Version 2 of model 'adder' is corrupt");
	}

	@Test
	void theCacheRefusesAVersionCorruptedAfterTheLastScanButServesTheOthers() throws Exception {
		ResolvedVersion good = this.registry.publish("adder", this.model, Map.of());
		ResolvedVersion bad = this.registry.publish("adder", this.model, Map.of());
		flipAByte(this.root.resolve("adder/2/manifest.json"));
		try (ModelCache cache = new ModelCache(4, Device.cpu())) {
			assertThatExceptionOfType(CorruptVersionException.class).isThrownBy(() -> cache.acquire(bad))
				.withMessageContaining("manifest.json does not match its checksum");
			try (ModelLease lease = cache.acquire(good)) {
				assertThat(lease.model().vocabulary().symbols()).containsExactly("a", "b", "c", "d", "e");
			}
		}
	}

	@Test
	void aliasesPointAtVersionsMoveAndProtectThemFromDeletion() throws Exception {
		this.registry.publish("adder", this.model, Map.of());
		this.registry.publish("adder", this.model, Map.of());
		this.registry.setAlias("adder", "production", 1);
		assertThat(this.registry.resolve("adder", null, "production").version()).isEqualTo(1);
		this.registry.setAlias("adder", "production", 2);
		assertThat(this.registry.resolve("adder", null, "production").version()).isEqualTo(2);
		assertThat(this.registry.model("adder").aliases()).containsExactly(Map.entry("production", 2));
		assertThatExceptionOfType(AliasInUseException.class).isThrownBy(() -> this.registry.delete("adder", 2))
			.withMessage(
					"Version 2 of model 'adder' is the target of alias(es) production; move or delete them first.");
		this.registry.deleteAlias("adder", "production");
		this.registry.delete("adder", 2);
		assertThat(this.registry.model("adder").versions()).extracting(VersionInfo::version).containsExactly(1);
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> this.registry.resolve("adder", null, "production"))
			.withMessage("Model 'adder' has no alias 'production'.");
	}

	@Test
	void refusesAliasesThatCannotWork() throws Exception {
		this.registry.publish("adder", this.model, Map.of());
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> this.registry.setAlias("adder", "latest", 1))
			.withMessageContaining("'latest' always means the highest good version");
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> this.registry.setAlias("adder", "7", 1));
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> this.registry.setAlias("adder", "prod", 9))
			.withMessage("Model 'adder' has no version 9.");
	}

	@Test
	void neverReusesAVersionNumber() throws Exception {
		this.registry.publish("adder", this.model, Map.of());
		this.registry.publish("adder", this.model, Map.of());
		this.registry.delete("adder", 2);
		assertThat(this.registry.publish("adder", this.model, Map.of()).version()).isEqualTo(3);
	}

	@Test
	void reportsUnknownModelsAndVersions() throws Exception {
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> this.registry.model("nothing"))
			.withMessage("There is no model named 'nothing'.");
		this.registry.publish("adder", this.model, Map.of());
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> this.registry.resolve("adder", 5, null))
			.withMessage("Model 'adder' has no version 5.");
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> this.registry.delete("adder", 5));
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> this.registry.manifest("adder", 5));
	}

	@Test
	void refusesNamesThatCouldLeaveTheRegistryFolder() {
		for (String name : List.of("../evil", "a/b", "..", "Upper", "", " space", "x".repeat(65), ".hidden")) {
			assertThatExceptionOfType(InvalidFieldException.class)
				.isThrownBy(() -> this.registry.publish(name, this.model, Map.of()));
		}
		assertThat(this.root.getParent().resolve("evil")).doesNotExist();
	}

	@Test
	void seesAVersionThatAnotherProcessPublishesWithinTheScanInterval() throws Exception {
		this.registry.start(Duration.ofMinutes(10), Duration.ofMillis(100));
		try (ModelRegistry other = new ModelRegistry(this.root, Clock.systemUTC())) {
			other.publish("shared", this.model, Map.of());
		}
		long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (this.registry.models().isEmpty() && System.nanoTime() < until) {
			Thread.sleep(20);
		}
		assertThat(this.registry.resolve("shared", null, null).version()).isEqualTo(1);
	}

	@Test
	void aFolderCopiedInByHandIsServedOnceItsChecksumsMatch() throws Exception {
		Path elsewhere = Files.createDirectories(this.root.resolveSibling("elsewhere"));
		try (ModelRegistry other = new ModelRegistry(elsewhere, Clock.systemUTC())) {
			other.publish("copied", this.model, Map.of());
		}
		Path target = Files.createDirectories(this.root.resolve("copied/1"));
		// A copy in progress: the parameters are not there yet.
		Files.copy(elsewhere.resolve("copied/1/manifest.json"), target.resolve("manifest.json"));
		Files.copy(elsewhere.resolve("copied/1/SHA256SUMS"), target.resolve("SHA256SUMS"));
		this.registry.scan();
		assertThat(this.registry.model("copied").version(1).status()).isEqualTo(VersionStatus.CORRUPT);
		Files.copy(elsewhere.resolve("copied/1/parameters.params"), target.resolve("parameters.params"));
		this.registry.scan();
		assertThat(this.registry.model("copied").version(1).status()).isEqualTo(VersionStatus.READY);
	}

	@Test
	void removesStagingFoldersLeftByACrashedPublisherAtStart() throws Exception {
		Path stale = Files.createDirectories(this.root.resolve(".staging/adder-old"));
		Files.writeString(stale.resolve("parameters.params"), "half");
		Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
		Path fresh = Files.createDirectories(this.root.resolve(".staging/adder-now"));
		this.registry.start(Duration.ofMinutes(10), Duration.ofMinutes(1));
		assertThat(stale).doesNotExist();
		assertThat(fresh).exists();
	}

	@Test
	void aReaderPollingDuringPublicationNeverSeesAPartialVersion() throws Exception {
		AtomicBoolean publishing = new AtomicBoolean(true);
		List<String> problems = Collections.synchronizedList(new ArrayList<>());
		Set<Integer> seen = ConcurrentHashMap.newKeySet();
		Thread reader = new Thread(() -> {
			try (ModelRegistry watcher = new ModelRegistry(this.root, Clock.systemUTC())) {
				while (publishing.get() || seen.size() < 15) {
					watcher.scan();
					for (ModelInfo info : watcher.models()) {
						for (VersionInfo version : info.versions()) {
							if (version.status() != VersionStatus.READY) {
								problems.add("version " + version.version() + ": " + version.problem());
							}
							seen.add(version.version());
						}
					}
					if (!publishing.get() && seen.size() < 15) {
						watcher.scan();
						watcher.models().forEach((info) -> info.versions().forEach((v) -> seen.add(v.version())));
						break;
					}
				}
			}
		});
		reader.start();
		for (int i = 0; i < 15; i++) {
			this.registry.publish("busy", this.model, Map.of("i", i));
		}
		publishing.set(false);
		reader.join();
		assertThat(problems).isEmpty();
		assertThat(seen).hasSize(15);
	}

	@Test
	void aPublicationThatCannotTakeItsNumberPublishesNothingAndItsRetryDoesOnce() throws Exception {
		// Writing LAST_VERSION fails, as on a full disk: here, a folder is in its way.
		Path lastVersion = Files.createDirectories(this.root.resolve("adder").resolve(ModelRegistry.LAST_VERSION));
		Files.writeString(lastVersion.resolve("in-the-way"), "x");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.registry.publish("adder", this.model, Map.of()));
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> this.registry.model("adder"));
		assertThat(this.root.resolve("adder").resolve("1")).doesNotExist();
		assertThat(this.root.resolve(ModelRegistry.STAGING)).isEmptyDirectory();

		org.springframework.util.FileSystemUtils.deleteRecursively(lastVersion);
		assertThat(this.registry.publish("adder", this.model, Map.of()).version()).isEqualTo(1);
		assertThat(this.registry.model("adder").versions()).hasSize(1);
	}

	@Test
	void aNumberAnotherProcessTakesJustBeforeTheRenameIsSkipped() throws Exception {
		AtomicBoolean first = new AtomicBoolean(true);
		try (ModelRegistry racing = new ModelRegistry(this.root, Clock.systemUTC(), (target) -> {
			if (first.getAndSet(false)) {
				// Another replica renames its version into this number first.
				try {
					Files.createDirectories(target);
					Files.writeString(target.resolve("manifest.json"), "{}");
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}
		})) {
			ResolvedVersion published = racing.publish("adder", this.model, Map.of("who", "racing"));
			assertThat(published.version()).isEqualTo(2);
			assertThat(racing.manifest("adder", 2).metadata()).containsEntry("who", "racing");
			assertThat(Files.readString(this.root.resolve("adder").resolve("1").resolve("manifest.json")))
				.isEqualTo("{}");
		}
	}

	@Test
	void registriesOfTwoProcessesPublishingAtOnceGetDistinctNumbersAndLoseNothing() throws Exception {
		try (ModelRegistry other = new ModelRegistry(this.root, Clock.systemUTC())) {
			List<Thread> publishers = new ArrayList<>();
			List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
			for (int i = 0; i < 12; i++) {
				ModelRegistry registry = (i % 2 == 0) ? this.registry : other;
				String who = "publisher-" + i;
				Thread publisher = new Thread(() -> {
					try {
						registry.publish("shared", this.model, Map.of("who", who));
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
				});
				publisher.start();
				publishers.add(publisher);
			}
			for (Thread publisher : publishers) {
				publisher.join();
			}
			assertThat(failures).isEmpty();
			this.registry.scan();
			assertThat(this.registry.model("shared").versions()).extracting(VersionInfo::version)
				.containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
			Set<Object> publishersSeen = new java.util.HashSet<>();
			for (int version = 1; version <= 12; version++) {
				publishersSeen.add(this.registry.manifest("shared", version).metadata().get("who"));
			}
			assertThat(publishersSeen).hasSize(12);
		}
	}

	@Test
	void aDanglingLinkInAVersionFolderStopsNoScanAndNoPublication() throws Exception {
		this.registry.publish("adder", this.model, Map.of());
		Files.createSymbolicLink(this.root.resolve("adder").resolve("1").resolve("stray"),
				this.root.resolve("nowhere"));
		ResolvedVersion second = this.registry.publish("adder", this.model, Map.of());
		assertThat(second.version()).isEqualTo(2);
		assertThat(this.registry.model("adder").versions()).extracting(VersionInfo::status)
			.containsExactly(VersionStatus.READY, VersionStatus.READY);
		assertThat(this.registry.resolve("adder", null, null).version()).isEqualTo(2);
	}

	@Test
	void aVersionWhoseFilesCannotBeReadIsCorruptWhileTheOthersAreServed() throws Exception {
		this.registry.publish("adder", this.model, Map.of());
		this.registry.publish("adder", this.model, Map.of());
		Path manifest = this.root.resolve("adder").resolve("2").resolve("manifest.json");
		Files.delete(manifest);
		Files.createSymbolicLink(manifest, this.root.resolve("nowhere"));
		this.registry.publish("other", this.model, Map.of());
		VersionInfo broken = this.registry.model("adder").version(2);
		assertThat(broken.status()).isEqualTo(VersionStatus.CORRUPT);
		assertThat(broken.problem()).doesNotContain(this.root.toString());
		assertThat(this.registry.resolve("adder", null, null).version()).isEqualTo(1);
		assertThat(this.registry.model("other").latest()).isEqualTo(1);
	}

	@Test
	void anAliasSetWhileItsVersionIsDeletedNeverPointsAtNothing() throws Exception {
		for (int round = 1; round <= 30; round++) {
			int version = this.registry.publish("raced", this.model, Map.of()).version();
			String alias = "a" + round;
			java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
			Thread aliasing = new Thread(() -> {
				try {
					start.await();
					this.registry.setAlias("raced", alias, version);
				}
				catch (Exception ex) {
					// 404: the version went first.
				}
			});
			aliasing.start();
			start.await();
			try {
				this.registry.delete("raced", version);
			}
			catch (AliasInUseException ex) {
				// 409: the alias went first.
			}
			aliasing.join();
		}
		this.registry.scan();
		// Every alias on disk points at a version on disk (when every version lost its
		// race, the model has none left and is not listed).
		Map<String, Integer> aliases = Aliases.read(this.root.resolve("raced"));
		aliases.forEach(
				(alias, target) -> assertThat(this.root.resolve("raced").resolve(Integer.toString(target))).as(alias)
					.isDirectory());
	}

	@Test
	void findsTheVersionAJobPublished() throws Exception {
		this.registry.publish("adder", this.model, Map.of("job", "job-a"));
		this.registry.publish("adder", this.model, Map.of("job", "job-b"));
		assertThat(this.registry.publishedBy("adder", "job-b")).get().extracting(ResolvedVersion::version).isEqualTo(2);
		assertThat(this.registry.publishedBy("adder", "job-c")).isEmpty();
		assertThat(this.registry.publishedBy("nothing", "job-a")).isEmpty();
	}

	/**
	 * Corrupts a file as a later edit would: the kernel stamps files from a coarse clock,
	 * so a rewrite within a few milliseconds of publication could keep the same time and
	 * size, which no real edit does.
	 */
	static void flipAByte(Path file) throws IOException {
		FileTime before = Files.getLastModifiedTime(file);
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length / 2] ^= 0x01;
		Files.write(file, bytes);
		Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1000));
	}

}

package dev.elman.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ai.djl.engine.Engine;
import dev.elman.model.ModelManifest;
import dev.elman.model.Seq2SeqModel;
import dev.elman.storage.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.FileSystemUtils;

/**
 * The model registry: a folder with one subfolder per model and one per version,
 * {@code root/{name}/{version}/}, each holding the parameters, a {@code manifest.json}
 * and a {@code SHA256SUMS} over both.
 *
 * <p>
 * Versions are written to a staging folder, flushed and renamed into place, so no reader
 * ever sees half a version. Several processes may share one root: each rescans it every
 * few seconds, so versions published, copied in or deleted by another process are seen
 * without a restart. Version numbers count up per model and are never reused in one root.
 * Aliases live in {@code root/{name}/aliases.json}, replaced atomically.
 *
 * <p>
 * Thread-safe. Reads use an immutable snapshot of the folder; writes to one model are
 * serialised within this process.
 */
public final class ModelRegistry implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	static final String STAGING = ".staging";

	static final String TRASH = ".trash";

	static final String ALIASES = "aliases.json";

	/**
	 * The highest version number ever published to the model, so numbers are not reused.
	 */
	static final String LAST_VERSION = "LAST_VERSION";

	private static final List<String> VERSION_FILES = List.of(Seq2SeqModel.MANIFEST_FILE, Seq2SeqModel.PARAMETERS_FILE);

	private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path root;

	private final Clock clock;

	private final Map<Path, Inspection> inspections = new ConcurrentHashMap<>();

	private final Map<String, Object> modelLocks = new ConcurrentHashMap<>();

	private final List<Consumer<ResolvedVersion>> removalListeners = new CopyOnWriteArrayList<>();

	private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

	private ScheduledExecutorService scanner;

	/**
	 * Opens a registry folder, creating it if needed.
	 * @param root the folder
	 * @param clock the clock for publication times
	 */
	public ModelRegistry(Path root, Clock clock) {
		this.root = root.toAbsolutePath().normalize();
		this.clock = clock;
		try {
			Files.createDirectories(this.root);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the model registry folder " + this.root, ex);
		}
	}

	/**
	 * Removes staging folders older than {@code staleAfter} (left by a crashed publisher)
	 * and leftovers of deletions, reads the folder, and rescans it every
	 * {@code scanInterval}.
	 * @param staleAfter the age after which a staging folder is abandoned
	 * @param scanInterval how often to look for changes made by other processes
	 */
	public synchronized void start(Duration staleAfter, Duration scanInterval) {
		cleanStaging(staleAfter);
		scan();
		if (this.scanner == null) {
			this.scanner = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "elman-registry-scan");
				thread.setDaemon(true);
				return thread;
			});
			this.scanner.scheduleWithFixedDelay(this::scanQuietly, scanInterval.toMillis(), scanInterval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Returns the registry folder.
	 * @return the absolute root
	 */
	public Path root() {
		return this.root;
	}

	/**
	 * Registers a callback for versions that disappear or are replaced, so caches can let
	 * go.
	 * @param listener called on the scanning thread
	 */
	public void onRemoved(Consumer<ResolvedVersion> listener) {
		this.removalListeners.add(listener);
	}

	/**
	 * Returns every model, by name.
	 * @return the models
	 */
	public Collection<ModelInfo> models() {
		return this.snapshot.models().values();
	}

	/**
	 * Returns one model.
	 * @param name the model name
	 * @return the model
	 * @throws ModelNotFoundException if there is none of that name
	 */
	public ModelInfo model(String name) {
		ModelInfo info = this.snapshot.models().get(Names.model(name));
		if (info == null) {
			throw ModelNotFoundException.model(name);
		}
		return info;
	}

	/**
	 * Finds the version a request means: the given version, else the given alias, else
	 * the highest good version.
	 * @param name the model name
	 * @param version a version number, or null
	 * @param alias an alias, {@value Names#LATEST}, or null
	 * @return the version to serve
	 * @throws ModelNotFoundException if the model, version or alias does not exist
	 * @throws CorruptVersionException if the version meant is corrupt
	 */
	public ResolvedVersion resolve(String name, Integer version, String alias) {
		Snapshot current = this.snapshot;
		ModelInfo info = current.models().get(Names.model(name));
		if (info == null) {
			throw ModelNotFoundException.model(name);
		}
		int target;
		if (version != null) {
			target = version;
		}
		else if (alias != null && !Names.LATEST.equals(alias)) {
			Integer aliased = info.aliases().get(alias);
			if (aliased == null) {
				throw ModelNotFoundException.alias(name, alias);
			}
			target = aliased;
		}
		else {
			if (info.latest() == null) {
				throw ModelNotFoundException.noGoodVersion(name);
			}
			target = info.latest();
		}
		VersionInfo chosen = info.version(target);
		if (chosen == null) {
			throw ModelNotFoundException.version(name, target);
		}
		if (chosen.status() == VersionStatus.CORRUPT) {
			throw new CorruptVersionException(name, target, chosen.problem());
		}
		return current.versions().get(name).get(target);
	}

	/**
	 * Reads a version's manifest.
	 * @param name the model name
	 * @param version the version
	 * @return the manifest
	 * @throws ModelNotFoundException if there is no such version
	 * @throws CorruptVersionException if its manifest cannot be read
	 */
	public ModelManifest manifest(String name, int version) {
		VersionInfo info = model(name).version(version);
		if (info == null) {
			throw ModelNotFoundException.version(name, version);
		}
		try {
			return ModelManifest.read(versionFolder(name, version).resolve(Seq2SeqModel.MANIFEST_FILE));
		}
		catch (NoSuchFileException ex) {
			throw ModelNotFoundException.version(name, version);
		}
		catch (IOException ex) {
			throw new CorruptVersionException(name, version, ex.getMessage());
		}
	}

	/**
	 * Publishes a model as the next version.
	 * @param name the model name
	 * @param model the model
	 * @param metadata facts to keep in the manifest (training history, corpus, job); the
	 * registry adds the publication time, the engine versions and the file checksums
	 * @return the new version
	 * @throws IOException if writing fails; nothing is published then
	 */
	public ResolvedVersion publish(String name, Seq2SeqModel model, Map<String, Object> metadata) throws IOException {
		Names.model(name);
		Path staging = this.root.resolve(STAGING).resolve(name + "-" + UUID.randomUUID());
		try {
			Files.createDirectories(staging);
			model.saveParameters(staging.resolve(Seq2SeqModel.PARAMETERS_FILE));
			Map<String, Object> facts = new LinkedHashMap<>(metadata);
			facts.put("createdAt", Instant.now(this.clock).toString());
			facts.put("engine",
					Map.of("djl", Engine.getDjlVersion(), "pytorch", Engine.getEngine("PyTorch").getVersion()));
			facts.put("files", Map.of(Seq2SeqModel.PARAMETERS_FILE,
					Checksums.sha256(staging.resolve(Seq2SeqModel.PARAMETERS_FILE))));
			model.manifest(facts).write(staging.resolve(Seq2SeqModel.MANIFEST_FILE));
			Checksums.write(staging, VERSION_FILES);
			DurableFiles.syncTree(staging);
			int version;
			synchronized (lock(name)) {
				version = moveIntoPlace(name, staging);
			}
			scan();
			return this.snapshot.versions().get(name).get(version);
		}
		finally {
			FileSystemUtils.deleteRecursively(staging);
		}
	}

	/** Renames the staging folder to the next free version number. */
	private int moveIntoPlace(String name, Path staging) throws IOException {
		Path modelFolder = this.root.resolve(name);
		Files.createDirectories(modelFolder);
		int version = Math.max(highestVersionOnDisk(modelFolder), readLastVersion(modelFolder)) + 1;
		for (int attempt = 0; attempt < 100; attempt++, version++) {
			try {
				Files.move(staging, modelFolder.resolve(Integer.toString(version)), StandardCopyOption.ATOMIC_MOVE);
				writeAtomically(modelFolder.resolve(LAST_VERSION), Integer.toString(version));
				DurableFiles.syncFolder(modelFolder);
				logger.info("Published version {} of model '{}'", version, name);
				return version;
			}
			catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
				// Another process took this number first.
			}
		}
		throw new IOException("Could not find a free version number for model '" + name + "'");
	}

	/**
	 * Deletes a version.
	 * @param name the model name
	 * @param version the version
	 * @throws ModelNotFoundException if there is no such version
	 * @throws AliasInUseException if an alias points at it
	 * @throws IOException if the files cannot be removed
	 */
	public void delete(String name, int version) throws IOException {
		Names.model(name);
		synchronized (lock(name)) {
			Path folder = versionFolder(name, version);
			if (!Files.isDirectory(folder)) {
				throw ModelNotFoundException.version(name, version);
			}
			List<String> pointing = new ArrayList<>();
			readAliases(this.root.resolve(name)).forEach((alias, target) -> {
				if (target == version) {
					pointing.add(alias);
				}
			});
			if (!pointing.isEmpty()) {
				throw new AliasInUseException(name, version, pointing);
			}
			Path trash = this.root.resolve(TRASH).resolve(name + "-" + version + "-" + UUID.randomUUID());
			Files.createDirectories(trash.getParent());
			// The rename makes the version vanish at once; the files go afterwards.
			Files.move(folder, trash, StandardCopyOption.ATOMIC_MOVE);
			logger.info("Deleted version {} of model '{}'", version, name);
			FileSystemUtils.deleteRecursively(trash);
		}
		scan();
	}

	/**
	 * Points an alias at a version, creating or moving it.
	 * @param name the model name
	 * @param alias the alias
	 * @param version the version
	 * @throws ModelNotFoundException if there is no such version
	 * @throws CorruptVersionException if the version is corrupt
	 * @throws IOException if the alias file cannot be written
	 */
	public void setAlias(String name, String alias, int version) throws IOException {
		Names.alias(alias);
		ModelInfo info = model(name);
		VersionInfo target = info.version(version);
		if (target == null) {
			throw ModelNotFoundException.version(name, version);
		}
		if (target.status() == VersionStatus.CORRUPT) {
			throw new CorruptVersionException(name, version, target.problem());
		}
		synchronized (lock(name)) {
			Map<String, Integer> aliases = new TreeMap<>(readAliases(this.root.resolve(name)));
			aliases.put(alias, version);
			writeAliases(name, aliases);
		}
		scan();
	}

	/**
	 * Removes an alias.
	 * @param name the model name
	 * @param alias the alias
	 * @throws ModelNotFoundException if the model or alias does not exist
	 * @throws IOException if the alias file cannot be written
	 */
	public void deleteAlias(String name, String alias) throws IOException {
		model(name);
		synchronized (lock(name)) {
			Map<String, Integer> aliases = new TreeMap<>(readAliases(this.root.resolve(name)));
			if (aliases.remove(alias) == null) {
				throw ModelNotFoundException.alias(name, alias);
			}
			writeAliases(name, aliases);
		}
		scan();
	}

	/**
	 * Reads the folder again: new versions, deleted ones, changed aliases, corruption.
	 */
	public synchronized void scan() {
		Map<String, ModelInfo> models = new TreeMap<>();
		Map<String, Map<Integer, ResolvedVersion>> versions = new TreeMap<>();
		try (DirectoryStream<Path> folders = Files.newDirectoryStream(this.root, Files::isDirectory)) {
			for (Path folder : folders) {
				String name = folder.getFileName().toString();
				if (Names.isModel(name)) {
					readModel(name, folder, models, versions);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot read the model registry {}: {}", this.root, ex.getMessage());
			return;
		}
		Map<String, Map<Integer, ResolvedVersion>> before = this.snapshot.versions();
		this.snapshot = new Snapshot(models, versions);
		notifyRemoved(before, versions);
	}

	private void readModel(String name, Path folder, Map<String, ModelInfo> models,
			Map<String, Map<Integer, ResolvedVersion>> resolvedVersions) throws IOException {
		List<VersionInfo> versions = new ArrayList<>();
		Map<Integer, ResolvedVersion> byNumber = new TreeMap<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, Files::isDirectory)) {
			for (Path entry : entries) {
				String number = entry.getFileName().toString();
				if (VERSION.matcher(number).matches()) {
					int version = Integer.parseInt(number);
					Inspection inspection = inspect(entry);
					versions.add(new VersionInfo(version, inspection.status(), inspection.problem(),
							inspection.createdAt(), inspection.sizeBytes()));
					byNumber.put(version, new ResolvedVersion(name, version, entry, inspection.createdAt()));
				}
			}
		}
		if (versions.isEmpty()) {
			return;
		}
		versions.sort(Comparator.comparingInt(VersionInfo::version));
		Integer latest = null;
		for (VersionInfo version : versions) {
			if (version.status() == VersionStatus.READY) {
				latest = version.version();
			}
		}
		models.put(name, new ModelInfo(name, latest, readAliases(folder), List.copyOf(versions)));
		resolvedVersions.put(name, byNumber);
	}

	/** Verifies a version once per state of its files. */
	private Inspection inspect(Path folder) throws IOException {
		String fingerprint = fingerprint(folder);
		Inspection known = this.inspections.get(folder);
		if (known != null && known.fingerprint().equals(fingerprint)) {
			return known;
		}
		String problem = Checksums.verify(folder, VERSION_FILES);
		Instant createdAt = Files.getLastModifiedTime(folder).toInstant();
		if (problem == null) {
			try {
				Object published = ModelManifest.read(folder.resolve(Seq2SeqModel.MANIFEST_FILE))
					.metadata()
					.get("createdAt");
				if (published instanceof String text) {
					createdAt = Instant.parse(text);
				}
			}
			catch (IOException | RuntimeException ex) {
				problem = "the manifest cannot be read (" + ex.getMessage() + ")";
			}
		}
		if (problem != null && (known == null || known.problem() == null)) {
			logger.warn("Version folder {} is corrupt and will not be served: {}", folder, problem);
		}
		long size = 0;
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.toList()) {
				size += Files.isRegularFile(file) ? Files.size(file) : 0;
			}
		}
		Inspection inspection = new Inspection(fingerprint,
				(problem == null) ? VersionStatus.READY : VersionStatus.CORRUPT, problem, createdAt, size);
		this.inspections.put(folder, inspection);
		return inspection;
	}

	private static String fingerprint(Path folder) throws IOException {
		StringBuilder fingerprint = new StringBuilder();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.sorted().toList()) {
				FileTime modified = Files.getLastModifiedTime(file);
				fingerprint.append(file.getFileName())
					.append(':')
					.append(Files.isRegularFile(file) ? Files.size(file) : -1)
					.append(':')
					.append(modified.to(TimeUnit.NANOSECONDS))
					.append(';');
			}
		}
		return fingerprint.toString();
	}

	private void notifyRemoved(Map<String, Map<Integer, ResolvedVersion>> before,
			Map<String, Map<Integer, ResolvedVersion>> after) {
		for (Map.Entry<String, Map<Integer, ResolvedVersion>> model : before.entrySet()) {
			Map<Integer, ResolvedVersion> now = after.getOrDefault(model.getKey(), Map.of());
			for (ResolvedVersion old : model.getValue().values()) {
				ResolvedVersion current = now.get(old.version());
				if (current == null || !Objects.equals(current.createdAt(), old.createdAt())) {
					for (Consumer<ResolvedVersion> listener : this.removalListeners) {
						listener.accept(old);
					}
				}
			}
		}
	}

	private void scanQuietly() {
		try {
			scan();
		}
		catch (RuntimeException ex) {
			logger.warn("Scanning the model registry failed: {}", ex.getMessage());
		}
	}

	private Path versionFolder(String name, int version) {
		return this.root.resolve(Names.model(name)).resolve(Integer.toString(version));
	}

	private Object lock(String name) {
		return this.modelLocks.computeIfAbsent(name, (key) -> new Object());
	}

	private static int highestVersionOnDisk(Path modelFolder) throws IOException {
		int highest = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelFolder)) {
			for (Path entry : entries) {
				String number = entry.getFileName().toString();
				if (VERSION.matcher(number).matches()) {
					highest = Math.max(highest, Integer.parseInt(number));
				}
			}
		}
		return highest;
	}

	private static int readLastVersion(Path modelFolder) {
		try {
			return Integer.parseInt(Files.readString(modelFolder.resolve(LAST_VERSION)).trim());
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
	}

	private static Map<String, Integer> readAliases(Path modelFolder) {
		Path file = modelFolder.resolve(ALIASES);
		if (!Files.exists(file)) {
			return Map.of();
		}
		try {
			Map<String, Integer> aliases = JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Integer>>() {
			});
			return (aliases != null) ? Map.copyOf(aliases) : Map.of();
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring unreadable aliases file {}: {}", file, ex.getOriginalMessage());
			return Map.of();
		}
	}

	private void writeAliases(String name, Map<String, Integer> aliases) throws IOException {
		writeAtomically(this.root.resolve(name).resolve(ALIASES), JSON.writeValueAsString(aliases));
	}

	/** Writes a small file under a temporary name and renames it over the old one. */
	private static void writeAtomically(Path file, String content) throws IOException {
		Path temporary = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try {
			Files.writeString(temporary, content);
			DurableFiles.syncFile(temporary);
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private void cleanStaging(Duration staleAfter) {
		Instant cutoff = Instant.now(this.clock).minus(staleAfter);
		for (String area : List.of(STAGING, TRASH)) {
			Path folder = this.root.resolve(area);
			if (!Files.isDirectory(folder)) {
				continue;
			}
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
				for (Path entry : entries) {
					boolean stale = TRASH.equals(area) || Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff);
					if (stale) {
						logger.info("Removing abandoned {}", entry);
						FileSystemUtils.deleteRecursively(entry);
					}
				}
			}
			catch (IOException ex) {
				logger.warn("Cannot clean {}: {}", folder, ex.getMessage());
			}
		}
	}

	@Override
	public synchronized void close() {
		if (this.scanner != null) {
			this.scanner.shutdownNow();
			this.scanner = null;
		}
	}

	/**
	 * What the folder held at the last scan; replaced whole, so readers see one state.
	 */
	private record Snapshot(Map<String, ModelInfo> models, Map<String, Map<Integer, ResolvedVersion>> versions) {

	}

	private record Inspection(String fingerprint, VersionStatus status, String problem, Instant createdAt,
			long sizeBytes) {

	}

}

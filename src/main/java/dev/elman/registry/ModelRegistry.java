package dev.elman.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.elman.background.BackgroundLoop;
import dev.elman.background.SupervisedLoop;
import dev.elman.model.ModelManifest;
import dev.elman.model.Seq2SeqModel;
import dev.elman.storage.FileProblems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.FileSystemUtils;

/**
 * The model registry: a folder with one subfolder per model and one per version,
 * {@code root/{name}/{version}/}, each holding the parameters, a {@code manifest.json}
 * and a {@code SHA256SUMS} over both.
 *
 * <p>
 * Versions are published all or nothing ({@link VersionPublisher}). Several processes may
 * share one root: each rescans it every few seconds, so versions published, copied in or
 * deleted by another process are seen without a restart, and changes to one model are
 * serialised across processes ({@link ModelLock}). Version numbers count up per model and
 * are never reused in one root. Aliases live in {@code root/{name}/aliases.json}.
 *
 * <p>
 * A scan skips what it cannot read, entry by entry: an unreadable version is listed as
 * corrupt, one deleted while being read is left out, and a model folder that cannot be
 * listed keeps what the last scan saw of it; everything else goes on being served.
 *
 * <p>
 * Thread-safe. Reads use an immutable snapshot of the folder.
 */
public final class ModelRegistry implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	static final String STAGING = VersionPublisher.STAGING;

	static final String TRASH = ".trash";

	static final String LAST_VERSION = VersionPublisher.LAST_VERSION;

	private final Path root;

	private final Clock clock;

	private final VersionInspector inspector = new VersionInspector();

	private final VersionPublisher publisher;

	private final List<Consumer<ResolvedVersion>> removalListeners = new CopyOnWriteArrayList<>();

	private volatile Snapshot snapshot = Snapshot.EMPTY;

	private volatile SupervisedLoop scanner;

	/**
	 * Opens a registry folder, creating it if needed.
	 * @param root the folder
	 * @param clock the clock for publication times
	 */
	public ModelRegistry(Path root, Clock clock) {
		this(root, clock, (target) -> {
		});
	}

	ModelRegistry(Path root, Clock clock, Consumer<Path> beforeRename) {
		this.root = root.toAbsolutePath().normalize();
		this.clock = clock;
		this.publisher = new VersionPublisher(this.root, clock, beforeRename);
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
			Duration stuckAfter = scanInterval.multipliedBy(30).plusMinutes(1);
			this.scanner = SupervisedLoop.every("registryScan", "elman-registry-scan", scanInterval, stuckAfter,
					this::scan);
		}
	}

	/**
	 * Returns the periodic rescan, for health.
	 * @return the loop, or null before {@link #start}
	 */
	public BackgroundLoop scanning() {
		return this.scanner;
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
	 * Returns how many model folders the last scan could not read (they keep what an
	 * earlier scan saw).
	 * @return the count
	 */
	public int unreadableModels() {
		return this.snapshot.unreadableModels();
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
	 * Finds the version a training job published, if it did (a job run again after its
	 * process died between publishing and recording it must not publish twice).
	 * @param name the model name
	 * @param job the job id
	 * @return its version, if it is in the registry
	 */
	public Optional<ResolvedVersion> publishedBy(String name, String job) {
		scan();
		Snapshot current = this.snapshot;
		Integer version = current.jobs().getOrDefault(name, Map.of()).get(job);
		return (version != null) ? Optional.ofNullable(current.versions().get(name).get(version)) : Optional.empty();
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
			throw new CorruptVersionException(name, version,
					"the manifest cannot be read (" + ModelManifest.describe(ex) + ")");
		}
	}

	/**
	 * Publishes a model as the next version, all or nothing.
	 * @param name the model name
	 * @param model the model
	 * @param metadata facts to keep in the manifest (training history, corpus, job); the
	 * registry adds the publication time, the engine versions and the file checksums
	 * @return the new version
	 * @throws IOException if writing fails; nothing is published then
	 */
	public ResolvedVersion publish(String name, Seq2SeqModel model, Map<String, Object> metadata) throws IOException {
		ResolvedVersion published = this.publisher.publish(Names.model(name), model, metadata);
		scan();
		return published;
	}

	/**
	 * Deletes a version.
	 * @param name the model name
	 * @param version the version
	 * @throws ModelNotFoundException if there is no such version
	 * @throws AliasInUseException if an alias points at it
	 * @throws IOException if it cannot be moved out of the registry
	 */
	public void delete(String name, int version) throws IOException {
		Path modelFolder = this.root.resolve(Names.model(name));
		Path trash;
		try (ModelLock lock = lockExisting(name)) {
			Path folder = versionFolder(name, version);
			if (!Files.isDirectory(folder)) {
				throw ModelNotFoundException.version(name, version);
			}
			List<String> pointing = new ArrayList<>();
			Aliases.readForChange(modelFolder).forEach((alias, target) -> {
				if (target == version) {
					pointing.add(alias);
				}
			});
			if (!pointing.isEmpty()) {
				throw new AliasInUseException(name, version, pointing);
			}
			trash = this.root.resolve(TRASH).resolve(name + "-" + version + "-" + UUID.randomUUID());
			Files.createDirectories(trash.getParent());
			// The rename makes the version vanish at once; the files go afterwards.
			Files.move(folder, trash, StandardCopyOption.ATOMIC_MOVE);
			logger.info("Deleted version {} of model '{}'", version, name);
		}
		try {
			FileSystemUtils.deleteRecursively(trash);
		}
		catch (IOException ex) {
			// The version is gone already; what is left is removed at the next start.
			logger.warn("Could not remove the files of deleted version {} of '{}' yet: {}", version, name,
					ex.toString());
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
		try (ModelLock lock = lockExisting(name)) {
			// Deletions take the same lock: a version still there now stays while the
			// alias is written, so no alias ever points at a deleted version.
			if (!Files.isDirectory(versionFolder(name, version))) {
				throw ModelNotFoundException.version(name, version);
			}
			Map<String, Integer> aliases = new TreeMap<>(Aliases.readForChange(this.root.resolve(name)));
			aliases.put(alias, version);
			Aliases.write(this.root.resolve(name), aliases);
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
		try (ModelLock lock = lockExisting(name)) {
			Map<String, Integer> aliases = new TreeMap<>(Aliases.readForChange(this.root.resolve(name)));
			if (aliases.remove(alias) == null) {
				throw ModelNotFoundException.alias(name, alias);
			}
			Aliases.write(this.root.resolve(name), aliases);
		}
		scan();
	}

	private ModelLock lockExisting(String name) throws IOException {
		Path modelFolder = this.root.resolve(name);
		if (!Files.isDirectory(modelFolder)) {
			throw ModelNotFoundException.model(name);
		}
		return ModelLock.acquire(modelFolder);
	}

	/**
	 * Reads the folder again: new versions, deleted ones, changed aliases, corruption.
	 * What cannot be read is skipped, entry by entry, and never stops the scan.
	 */
	public synchronized void scan() {
		Snapshot before = this.snapshot;
		Map<String, ModelInfo> models = new TreeMap<>();
		Map<String, Map<Integer, ResolvedVersion>> versions = new TreeMap<>();
		Map<String, Map<String, Integer>> jobs = new HashMap<>();
		int unreadable = 0;
		Set<Path> seen = new HashSet<>();
		List<Path> folders = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.root, Files::isDirectory)) {
			entries.forEach(folders::add);
		}
		catch (IOException | DirectoryIteratorException ex) {
			logger.warn("Cannot read the model registry folder {}: {}", this.root, ex.toString());
			return;
		}
		for (Path folder : folders) {
			String name = folder.getFileName().toString();
			if (!Names.isModel(name)) {
				continue;
			}
			try {
				readModel(name, folder, models, versions, jobs);
				versions.getOrDefault(name, Map.of()).values().forEach((version) -> seen.add(version.folder()));
			}
			catch (IOException | RuntimeException ex) {
				if (ex instanceof NoSuchFileException) {
					continue;
				}
				unreadable++;
				logger.warn("Cannot read model folder {}; keeping what the last scan saw of it: {}", folder,
						ex.toString());
				if (before.models().containsKey(name)) {
					models.put(name, before.models().get(name));
					versions.put(name, before.versions().get(name));
					jobs.put(name, before.jobs().getOrDefault(name, Map.of()));
					before.versions().get(name).values().forEach((version) -> seen.add(version.folder()));
				}
			}
		}
		this.snapshot = new Snapshot(models, versions, jobs, unreadable);
		this.inspector.retainOnly(seen);
		notifyRemoved(before.versions(), versions);
	}

	private void readModel(String name, Path folder, Map<String, ModelInfo> models,
			Map<String, Map<Integer, ResolvedVersion>> resolvedVersions, Map<String, Map<String, Integer>> jobs)
			throws IOException {
		List<Path> entries = new ArrayList<>();
		try (DirectoryStream<Path> listing = Files.newDirectoryStream(folder, Files::isDirectory)) {
			listing.forEach(entries::add);
		}
		catch (DirectoryIteratorException ex) {
			throw ex.getCause();
		}
		List<VersionInfo> versions = new ArrayList<>();
		Map<Integer, ResolvedVersion> byNumber = new TreeMap<>();
		Map<String, Integer> byJob = new HashMap<>();
		for (Path entry : entries) {
			String number = entry.getFileName().toString();
			if (!VersionPublisher.VERSION.matcher(number).matches()) {
				continue;
			}
			VersionInspector.Inspection inspection;
			try {
				inspection = this.inspector.inspect(entry);
			}
			catch (NoSuchFileException ex) {
				// Deleted, by this process or another, since the folder was listed.
				continue;
			}
			int version = Integer.parseInt(number);
			versions.add(new VersionInfo(version, inspection.status(), inspection.problem(), inspection.createdAt(),
					inspection.sizeBytes()));
			byNumber.put(version, new ResolvedVersion(name, version, entry, inspection.createdAt()));
			if (inspection.job() != null) {
				byJob.put(inspection.job(), version);
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
		models.put(name, new ModelInfo(name, latest, Aliases.read(folder), List.copyOf(versions)));
		resolvedVersions.put(name, byNumber);
		jobs.put(name, byJob);
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

	private Path versionFolder(String name, int version) {
		return this.root.resolve(Names.model(name)).resolve(Integer.toString(version));
	}

	private void cleanStaging(Duration staleAfter) {
		Instant cutoff = Instant.now(this.clock).minus(staleAfter);
		removeStaleTemporaryFiles(cutoff);
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
			catch (IOException | DirectoryIteratorException ex) {
				logger.warn("Cannot clean {}: {}", folder, ex.toString());
			}
		}
	}

	/**
	 * Removes the temporary files a crash left beside LAST_VERSION or aliases.json while
	 * they were being replaced.
	 */
	private void removeStaleTemporaryFiles(Instant cutoff) {
		try (DirectoryStream<Path> modelFolders = Files.newDirectoryStream(this.root, Files::isDirectory)) {
			for (Path modelFolder : modelFolders) {
				try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(modelFolder, "*.tmp")) {
					for (Path leftover : leftovers) {
						if (Files.getLastModifiedTime(leftover).toInstant().isBefore(cutoff)) {
							logger.info("Removing abandoned {}", leftover);
							Files.deleteIfExists(leftover);
						}
					}
				}
			}
		}
		catch (IOException | DirectoryIteratorException ex) {
			logger.warn("Cannot clean temporary files under {}: {}", this.root, ex.toString());
		}
	}

	/** Stops the rescans (not synchronized: a scan in progress may hold the monitor). */
	@Override
	public void close() {
		SupervisedLoop current = this.scanner;
		this.scanner = null;
		if (current != null) {
			current.close();
		}
	}

	/**
	 * What the folder held at the last scan; replaced whole, so readers see one state.
	 */
	private record Snapshot(Map<String, ModelInfo> models, Map<String, Map<Integer, ResolvedVersion>> versions,
			Map<String, Map<String, Integer>> jobs, int unreadableModels) {

		static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), 0);

	}

}

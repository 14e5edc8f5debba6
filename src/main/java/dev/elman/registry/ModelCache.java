package dev.elman.registry;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import ai.djl.Device;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.model.ModelManifest;
import dev.elman.model.Seq2SeqModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded models, at most {@code capacity} of them, the least recently used evicted first.
 *
 * <p>
 * A version is loaded once even when many requests want it at the same moment; the others
 * wait for that load. Its checksums are verified before loading. Models are handed out as
 * {@link ModelLease leases}: an evicted model's native memory is freed when its last
 * lease is closed, never under a running decode.
 */
public final class ModelCache implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelCache.class);

	private final int capacity;

	private final Loader loader;

	private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

	private final Map<Key, CompletableFuture<Entry>> loading = new LinkedHashMap<>();

	private final AtomicInteger loads = new AtomicInteger();

	/**
	 * Creates a cache that loads versions from their folders.
	 * @param capacity the most models kept loaded
	 * @param device where models are loaded
	 */
	public ModelCache(int capacity, Device device) {
		this(capacity, (version) -> load(version, device));
	}

	/**
	 * Creates a cache with its own way of loading versions.
	 * @param capacity the most models kept loaded
	 * @param loader loads a version
	 */
	public ModelCache(int capacity, Loader loader) {
		if (capacity < 1) {
			throw new IllegalArgumentException("The model cache must hold at least one model");
		}
		this.capacity = capacity;
		this.loader = loader;
	}

	private static Seq2SeqModel load(ResolvedVersion version, Device device) throws IOException {
		String problem = Checksums.verify(version.folder(),
				List.of(Seq2SeqModel.MANIFEST_FILE, Seq2SeqModel.PARAMETERS_FILE));
		if (problem != null) {
			if (problem.endsWith("is missing") && !version.folder().toFile().exists()) {
				throw ModelNotFoundException.version(version.name(), version.version());
			}
			throw new CorruptVersionException(version.name(), version.version(), problem);
		}
		try {
			return Seq2SeqModel.load(version.folder(), device);
		}
		catch (NoSuchFileException ex) {
			throw ModelNotFoundException.version(version.name(), version.version());
		}
		catch (IOException ex) {
			throw new CorruptVersionException(version.name(), version.version(), ModelManifest.describe(ex));
		}
	}

	/**
	 * Returns a lease on a loaded version, loading it if needed.
	 * @param version the version
	 * @return the lease; close it when done with the model
	 * @throws ModelNotFoundException if its folder has gone
	 * @throws CorruptVersionException if its files fail their checksums
	 */
	public ModelLease acquire(ResolvedVersion version) {
		Key key = new Key(version.name(), version.version(), version.createdAt());
		CompletableFuture<Entry> pending;
		boolean loadHere = false;
		synchronized (this) {
			Entry entry = this.entries.get(key);
			if (entry != null && entry.retain()) {
				return new ModelLease(entry);
			}
			pending = this.loading.get(key);
			if (pending == null) {
				pending = new CompletableFuture<>();
				this.loading.put(key, pending);
				loadHere = true;
			}
		}
		if (loadHere) {
			return new ModelLease(loadInto(key, version, pending));
		}
		try {
			Entry entry = pending.join();
			if (entry.retain()) {
				return new ModelLease(entry);
			}
			// Evicted between its load and now: load again.
			return acquire(version);
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	private Entry loadInto(Key key, ResolvedVersion version, CompletableFuture<Entry> pending) {
		Seq2SeqModel model;
		try {
			model = this.loader.load(version);
			this.loads.incrementAndGet();
		}
		catch (Throwable ex) {
			// Whatever went wrong, out of memory included, the next request tries again
			// rather than waiting for this load for ever.
			synchronized (this) {
				this.loading.remove(key);
			}
			RuntimeException failure = failure(version, ex);
			pending.completeExceptionally(failure);
			throw failure;
		}
		Entry entry = new Entry(key, model);
		entry.retain();
		List<Entry> evicted = new ArrayList<>();
		synchronized (this) {
			this.loading.remove(key);
			this.entries.put(key, entry);
			Iterator<Entry> oldest = this.entries.values().iterator();
			while (this.entries.size() > this.capacity && oldest.hasNext()) {
				Entry candidate = oldest.next();
				if (candidate != entry) {
					oldest.remove();
					evicted.add(candidate);
				}
			}
		}
		pending.complete(entry);
		for (Entry old : evicted) {
			logger.info("Unloading version {} of model '{}' to make room", old.key.version(), old.key.name());
			old.retire();
		}
		return entry;
	}

	private static RuntimeException failure(ResolvedVersion version, Throwable ex) {
		if (ex instanceof RuntimeException runtime) {
			return runtime;
		}
		if (ex instanceof IOException io) {
			return new CorruptVersionException(version.name(), version.version(), ModelManifest.describe(io));
		}
		logger.error("Loading version {} of model '{}' failed", version.version(), version.name(), ex);
		if (ex instanceof OutOfMemoryError) {
			return ServiceUnavailableException
				.outOfMemory("Version " + version.version() + " of model '" + version.name() + "' could not be loaded");
		}
		return new IllegalStateException("Loading a model failed", ex);
	}

	/**
	 * Lets go of a version that was deleted or replaced; it is freed once no lease holds
	 * it.
	 * @param version the version
	 */
	public void evict(ResolvedVersion version) {
		Entry entry;
		synchronized (this) {
			entry = this.entries.remove(new Key(version.name(), version.version(), version.createdAt()));
		}
		if (entry != null) {
			entry.retire();
		}
	}

	/**
	 * Returns how many models are loaded.
	 * @return the count
	 */
	public synchronized int size() {
		return this.entries.size();
	}

	/**
	 * Returns how many loads have completed since the cache was created.
	 * @return the count
	 */
	public int loads() {
		return this.loads.get();
	}

	@Override
	public void close() {
		List<Entry> all;
		synchronized (this) {
			all = new ArrayList<>(this.entries.values());
			this.entries.clear();
		}
		all.forEach(Entry::retire);
	}

	/** Loads a version. */
	public interface Loader {

		/**
		 * Loads a version.
		 * @param version the version
		 * @return the model
		 * @throws IOException if its files cannot be read
		 */
		Seq2SeqModel load(ResolvedVersion version) throws IOException;

	}

	private record Key(String name, int version, Instant createdAt) {

	}

	/**
	 * A loaded model with a count of holders: the cache itself, plus one per open lease.
	 */
	static final class Entry {

		private final Key key;

		private final Seq2SeqModel model;

		private final AtomicInteger holders = new AtomicInteger(1);

		private volatile boolean retired;

		Entry(Key key, Seq2SeqModel model) {
			this.key = key;
			this.model = model;
		}

		/** Adds a holder unless the model is already being freed. */
		boolean retain() {
			while (true) {
				int current = this.holders.get();
				if (current == 0) {
					return false;
				}
				if (this.holders.compareAndSet(current, current + 1)) {
					return true;
				}
			}
		}

		void release() {
			if (this.holders.decrementAndGet() == 0) {
				this.model.close();
			}
		}

		/** Drops the cache's own hold, once. */
		synchronized void retire() {
			if (!this.retired) {
				this.retired = true;
				release();
			}
		}

		Seq2SeqModel model() {
			return this.model;
		}

	}

}

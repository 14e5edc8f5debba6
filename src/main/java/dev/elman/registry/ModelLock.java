package dev.elman.registry;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises the changes to one model (publication, deletion, alias moves) across
 * threads, registries and processes that share its folder: a lock per folder within this
 * JVM, and an advisory lock on {@code {model}/.lock} for other processes (NFS v4 and
 * local file systems honour it). Where the file system has no locks, the version rename
 * stays the arbiter: a number taken by another process is skipped.
 */
final class ModelLock implements AutoCloseable {

	static final String FILE = ".lock";

	private static final Logger logger = LoggerFactory.getLogger(ModelLock.class);

	/** One JVM may hold several registries on one folder; file locks are per JVM. */
	private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

	private static volatile boolean warnedUnsupported;

	private final ReentrantLock local;

	private final FileChannel channel;

	private final FileLock file;

	private ModelLock(ReentrantLock local, FileChannel channel, FileLock file) {
		this.local = local;
		this.channel = channel;
		this.file = file;
	}

	/**
	 * Waits for the lock of a model folder, which must exist.
	 * @param modelFolder the model's folder
	 * @return the held lock; close it to let go
	 * @throws IOException if the lock file cannot be opened
	 */
	static ModelLock acquire(Path modelFolder) throws IOException {
		// The real path: a folder reached through a link is the same folder, and one JVM
		// may not hold two file locks on one file.
		ReentrantLock local = LOCAL.computeIfAbsent(modelFolder.toRealPath(), (key) -> new ReentrantLock());
		local.lock();
		FileChannel channel = null;
		try {
			channel = FileChannel.open(modelFolder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock file = null;
			try {
				file = channel.lock();
			}
			catch (FileLockInterruptionException | ClosedChannelException ex) {
				// Interrupted or closed while waiting: not a file system without locks.
				throw ex;
			}
			catch (IOException ex) {
				if (!warnedUnsupported) {
					warnedUnsupported = true;
					logger.warn("The registry's file system refuses file locks ({}); replicas sharing it rely on "
							+ "atomic renames alone", ex.getMessage());
				}
			}
			return new ModelLock(local, channel, file);
		}
		catch (IOException | RuntimeException | Error ex) {
			if (channel != null) {
				channel.close();
			}
			local.unlock();
			throw ex;
		}
	}

	@Override
	public void close() throws IOException {
		try {
			if (this.file != null) {
				this.file.release();
			}
			this.channel.close();
		}
		finally {
			this.local.unlock();
		}
	}

}

package dev.elman.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Threads that share one computation, each taking a slice of a batch: a training step's
 * forward and backward passes, or a large greedy decoding.
 *
 * <p>
 * The matrices of these models are small, so PyTorch gains little from spreading one
 * operation over several cores; running two halves of a batch side by side, one core
 * each, does. The calling thread takes the first slice and a fixed pool of daemon threads
 * the others; the pool is shared by everything that holds this instance, and no slice is
 * left running when {@link #run} returns.
 */
public final class ParallelWork implements AutoCloseable {

	/** No helper threads: everything runs on the caller. */
	public static final ParallelWork SERIAL = new ParallelWork(1);

	private final int threads;

	private final ExecutorService pool;

	private ParallelWork(int threads) {
		this.threads = threads;
		if (threads > 1) {
			AtomicInteger number = new AtomicInteger();
			this.pool = Executors.newFixedThreadPool(threads - 1, (task) -> {
				Thread thread = new Thread(task, "elman-compute-" + number.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			});
		}
		else {
			this.pool = null;
		}
	}

	/**
	 * Creates helpers for a number of threads, the caller included.
	 * @param threads at least 1
	 * @return the helpers; close them when done
	 */
	public static ParallelWork of(int threads) {
		return (threads <= 1) ? SERIAL : new ParallelWork(threads);
	}

	/**
	 * Returns the number of threads a computation may use, the caller included.
	 * @return the thread count
	 */
	public int threads() {
		return this.threads;
	}

	/**
	 * Returns how many slices to cut {@code rows} into so that each has at least
	 * {@code minRows}.
	 * @param rows the batch size
	 * @param minRows the smallest slice worth a thread
	 * @return between 1 and {@link #threads()}
	 */
	public int slices(int rows, int minRows) {
		return Math.max(1, Math.min(this.threads, rows / Math.max(1, minRows)));
	}

	/**
	 * Cuts {@code values} into {@code slices} contiguous pieces whose sizes differ by at
	 * most one.
	 * @param values the values
	 * @param slices the number of pieces
	 * @return the pieces, in order
	 */
	public static List<int[]> cut(int[] values, int slices) {
		List<int[]> pieces = new ArrayList<>(slices);
		int from = 0;
		for (int i = 0; i < slices; i++) {
			int size = values.length / slices + ((i < values.length % slices) ? 1 : 0);
			pieces.add(Arrays.copyOfRange(values, from, from + size));
			from += size;
		}
		return pieces;
	}

	/**
	 * Runs {@code task} for slices {@code 0 .. slices-1}, slice 0 on the calling thread,
	 * and waits for all of them, also when one fails.
	 * @param <T> the result type
	 * @param slices the number of slices, at most {@link #threads()}
	 * @param task the work of one slice
	 * @return the results in slice order
	 * @throws RuntimeException the first failure of any slice
	 */
	public <T> List<T> run(int slices, IntFunction<T> task) {
		if (slices <= 1) {
			return Collections.singletonList(task.apply(0));
		}
		List<Future<T>> others = new ArrayList<>(slices - 1);
		for (int i = 1; i < slices; i++) {
			int slice = i;
			others.add(this.pool.submit(() -> task.apply(slice)));
		}
		List<T> results = new ArrayList<>(slices);
		RuntimeException failure = null;
		try {
			results.add(task.apply(0));
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		for (Future<T> other : others) {
			try {
				results.add(other.get());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				failure = (failure != null) ? failure : new IllegalStateException("Interrupted", ex);
			}
			catch (ExecutionException ex) {
				if (failure == null) {
					failure = (ex.getCause() instanceof RuntimeException runtime) ? runtime
							: new IllegalStateException(ex.getCause());
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
		return results;
	}

	@Override
	public void close() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

}

package dev.elman.registry;

import dev.elman.model.Seq2SeqModel;

/**
 * The use of a loaded model; while a lease is open the model stays in memory, even if the
 * cache evicts it. Close it exactly once.
 */
public final class ModelLease implements AutoCloseable {

	private final ModelCache.Entry entry;

	private boolean closed;

	ModelLease(ModelCache.Entry entry) {
		this.entry = entry;
	}

	/**
	 * Returns the model.
	 * @return the model; do not close it
	 */
	public Seq2SeqModel model() {
		return this.entry.model();
	}

	@Override
	public synchronized void close() {
		if (!this.closed) {
			this.closed = true;
			this.entry.release();
		}
	}

}

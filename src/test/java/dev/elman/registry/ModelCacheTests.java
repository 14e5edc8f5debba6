package dev.elman.registry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.elman.TestModels;
import dev.elman.engine.ComputeEngine;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.model.Seq2SeqModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ModelCacheTests {

	private final List<Seq2SeqModel> created = new ArrayList<>();

	private final AtomicInteger loads = new AtomicInteger();

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	private Seq2SeqModel load(ResolvedVersion version) throws InterruptedException {
		this.loads.incrementAndGet();
		Thread.sleep(50);
		Seq2SeqModel model = TestModels.untrained(version.version());
		synchronized (this.created) {
			this.created.add(model);
		}
		return model;
	}

	private static ResolvedVersion version(int number) {
		return new ResolvedVersion("m", number, Path.of("unused"), Instant.EPOCH);
	}

	@Test
	void aLoadThatFailsWithAnErrorLeavesTheNextRequestFreeToLoadAgain() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		ModelCache cache = new ModelCache(2, (version) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new OutOfMemoryError("Java heap space");
			}
			return TestModels.untrained(1);
		});
		assertThatExceptionOfType(ServiceUnavailableException.class).isThrownBy(() -> cache.acquire(version(1)))
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(503));
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Future<Integer> next = thread.submit(() -> {
				try (ModelLease lease = cache.acquire(version(1))) {
					return lease.model().vocabulary().size();
				}
			});
			assertThat(next.get(10, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
		}
		finally {
			thread.shutdownNow();
			cache.close();
		}
	}

	@Test
	void loadsAVersionOnceEvenWhenManyRequestsWantItAtOnce() throws Exception {
		ModelCache cache = new ModelCache(2, (version) -> {
			try {
				return load(version);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		ExecutorService threads = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Seq2SeqModel>> results = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			results.add(threads.submit(() -> {
				start.await();
				try (ModelLease lease = cache.acquire(version(1))) {
					return lease.model();
				}
			}));
		}
		start.countDown();
		Seq2SeqModel first = results.get(0).get();
		for (Future<Seq2SeqModel> result : results) {
			assertThat(result.get()).isSameAs(first);
		}
		threads.shutdown();
		assertThat(this.loads.get()).isEqualTo(1);
		assertThat(cache.loads()).isEqualTo(1);
		cache.close();
	}

	@Test
	void evictsTheLeastRecentlyUsedAndFreesItsNativeMemory() throws Exception {
		ModelCache cache = new ModelCache(2, this::loadQuietly);
		acquireAndRelease(cache, 1);
		acquireAndRelease(cache, 2);
		acquireAndRelease(cache, 1);
		acquireAndRelease(cache, 3);
		assertThat(cache.size()).isEqualTo(2);
		assertThat(this.created.get(1).manager().isOpen()).as("version 2, least recently used").isFalse();
		assertThat(this.created.get(0).manager().isOpen()).as("version 1").isTrue();
		assertThat(this.created.get(2).manager().isOpen()).as("version 3").isTrue();
		cache.close();
		assertThat(this.created).allSatisfy((model) -> assertThat(model.manager().isOpen()).isFalse());
	}

	@Test
	void aModelEvictedWhileInUseIsFreedOnlyWhenItsLastLeaseCloses() {
		ModelCache cache = new ModelCache(1, this::loadQuietly);
		ModelLease held = cache.acquire(version(1));
		acquireAndRelease(cache, 2);
		assertThat(held.model().manager().isOpen()).isTrue();
		assertThat(held.model().newDecoder().decode(List.of("abc"), 3)).hasSize(1);
		held.close();
		assertThat(this.created.get(0).manager().isOpen()).isFalse();
		cache.close();
	}

	@Test
	void letsGoOfAVersionTheRegistryNoLongerHas() {
		ModelCache cache = new ModelCache(4, this::loadQuietly);
		acquireAndRelease(cache, 1);
		cache.evict(version(1));
		assertThat(cache.size()).isZero();
		assertThat(this.created.get(0).manager().isOpen()).isFalse();
		acquireAndRelease(cache, 1);
		assertThat(this.loads.get()).isEqualTo(2);
		cache.close();
	}

	private Seq2SeqModel loadQuietly(ResolvedVersion version) {
		try {
			return load(version);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void acquireAndRelease(ModelCache cache, int version) {
		try (ModelLease lease = cache.acquire(version(version))) {
			assertThat(lease.model()).isNotNull();
		}
	}

}

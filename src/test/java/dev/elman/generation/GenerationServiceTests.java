package dev.elman.generation;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.elman.TestModels;
import dev.elman.engine.ComputeEngine;
import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.StopReason;
import dev.elman.registry.ModelCache;
import dev.elman.registry.ModelNotFoundException;
import dev.elman.registry.ModelRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GenerationServiceTests {

	private static Seq2SeqModel reversal;

	@TempDir
	Path root;

	private ModelRegistry registry;

	private final CountDownLatch loadMayFinish = new CountDownLatch(1);

	private final CountDownLatch loadStarted = new CountDownLatch(1);

	private ModelCache cache;

	private GenerationService service;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeAll
	static void train() throws Exception {
		ComputeEngine.startOnCpu();
		reversal = TestModels.reversal();
	}

	@BeforeEach
	void publish() throws Exception {
		this.registry = new ModelRegistry(this.root, Clock.systemUTC());
		this.registry.publish("reverser", reversal, Map.of());
		// The first load waits for the test, so the single worker is busy while requests
		// queue.
		this.cache = new ModelCache(2, (version) -> {
			this.loadStarted.countDown();
			try {
				this.loadMayFinish.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return Seq2SeqModel.load(version.folder(), ai.djl.Device.cpu());
		});
	}

	@AfterEach
	void close() {
		this.loadMayFinish.countDown();
		if (this.service != null) {
			this.service.close();
		}
		this.cache.close();
		this.registry.close();
	}

	/**
	 * Every request through the queue and the worker, whose workings these tests watch.
	 */
	private GenerationService service(int queueCapacity, Duration timeout) {
		return service(queueCapacity, timeout, false);
	}

	private GenerationService service(int queueCapacity, Duration timeout, boolean decodeOnCaller) {
		this.service = new GenerationService(this.registry, this.cache, new GenerationProperties(1, 256, Duration.ZERO,
				queueCapacity, timeout, 256, 1000, 100, 1000, decodeOnCaller), new GenerationMetrics(this.meters));
		return this.service;
	}

	@Test
	void aRequestThatFindsNothingQueuedAndACoreFreeIsDecodedOnItsOwnThread() throws Exception {
		Thread caller = Thread.currentThread();
		List<Thread> loaders = java.util.Collections.synchronizedList(new ArrayList<>());
		this.cache.close();
		this.cache = new ModelCache(2, (version) -> {
			loaders.add(Thread.currentThread());
			return Seq2SeqModel.load(version.folder(), ai.djl.Device.cpu());
		});
		GenerationService service = service(16, Duration.ofSeconds(10), true);
		assertThat(service.generate("reverser", null, null, List.of("abc"), 5).outputs().get(0).text())
			.isEqualTo("cba");
		assertThat(loaders).containsExactly(caller);
		assertThat(service.batches()).isEqualTo(1);
		assertThat(this.meters.get("elman.generation.batch.inputs").summary().count()).isEqualTo(1);
	}

	@Test
	void requestsThatArriveWhileEveryCoreDecodesWaitAndAreDecodedTogether() throws Exception {
		GenerationService service = service(16, Duration.ofSeconds(10), true);
		// Decoded on its own thread, which waits in the model's load: the slot is taken.
		CompletableFuture<GenerateResponse> first = submit(service, "abc");
		assertThat(this.loadStarted.await(5, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<GenerateResponse>> later = new ArrayList<>();
		for (String input : List.of("bcd", "cde", "dea", "eab")) {
			later.add(submit(service, input));
		}
		// The worker holds the first of them while it waits for the slot; the rest queue.
		while (service.queueDepth() < 3) {
			Thread.sleep(5);
		}
		this.loadMayFinish.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS).outputs().get(0).text()).isEqualTo("cba");
		CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(later.get(3).get().outputs().get(0).text()).isEqualTo("bae");
		assertThat(service.batches()).isEqualTo(2);
		assertThat(this.meters.get("elman.generation.batch.inputs").summary().max()).isEqualTo(4);
	}

	private CompletableFuture<GenerateResponse> submit(GenerationService service, String input) {
		return CompletableFuture.supplyAsync(() -> service.generate("reverser", null, null, List.of(input), 5));
	}

	@Test
	void requestsThatQueueWhileTheWorkerIsBusyAreDecodedTogetherInOneBatch() throws Exception {
		GenerationService service = service(16, Duration.ofSeconds(10));
		CompletableFuture<GenerateResponse> first = submit(service, "abc");
		assertThat(this.loadStarted.await(5, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<GenerateResponse>> queued = new ArrayList<>();
		for (String input : List.of("bcd", "cde", "dea", "eab")) {
			queued.add(submit(service, input));
		}
		while (service.queueDepth() < 4) {
			Thread.sleep(5);
		}
		this.loadMayFinish.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS).outputs().get(0).text()).isEqualTo("cba");
		assertThat(queued.get(0).get(10, TimeUnit.SECONDS).outputs().get(0).text()).isEqualTo("dcb");
		assertThat(queued.get(3).get(10, TimeUnit.SECONDS).outputs().get(0).stopReason()).isEqualTo(StopReason.END);
		// Each caller records its latency after its answer arrives: wait for all of them.
		CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(service.batches()).isEqualTo(2);
		assertThat(service.batchedRequests()).isEqualTo(5);
		DistributionSummary batchInputs = this.meters.get("elman.generation.batch.inputs").summary();
		assertThat(batchInputs.count()).isEqualTo(2);
		assertThat(batchInputs.totalAmount()).isEqualTo(5);
		assertThat(batchInputs.max()).isEqualTo(4);
		assertThat(this.meters.get("elman.generation.latency").tag("model", "reverser").timer().count()).isEqualTo(5);
		assertThat(this.meters.get("elman.generation.inputs").tag("model", "reverser").counter().count()).isEqualTo(5);
		// Every reversal of three letters is three symbols long.
		assertThat(this.meters.get("elman.generation.tokens").tag("model", "reverser").counter().count()).isEqualTo(15);
		assertThat(this.meters.get("elman.generation.queue.depth").gauge().value()).isZero();
	}

	@Test
	void aRequestAfterClosingIsRefusedAtOnceAsShuttingDown() {
		this.loadMayFinish.countDown();
		GenerationService service = service(16, Duration.ofSeconds(10), true);
		service.close();
		long started = System.nanoTime();
		assertThatExceptionOfType(ServiceUnavailableException.class)
			.isThrownBy(() -> service.generate("reverser", null, null, List.of("abc"), 5))
			.satisfies((ex) -> assertThat(ex.getType()).isEqualTo(ProblemTypes.SHUTTING_DOWN));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
		assertThat(rejected("shutting_down")).isEqualTo(1);
	}

	@Test
	void aRequestForAModelThatDoesNotExistCreatesNoTimeSeries() {
		GenerationService service = service(16, Duration.ofSeconds(10));
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> service.generate("no-such-model", null, null, List.of("abc"), 5));
		assertThat(this.meters.find("elman.generation.latency").timers()).isEmpty();
		assertThat(this.meters.find("elman.generation.inputs").counters()).isEmpty();
	}

	@Test
	void aFullQueueIsRefusedAtOnceWith429() throws Exception {
		GenerationService service = service(2, Duration.ofSeconds(10));
		submit(service, "abc");
		assertThat(this.loadStarted.await(5, TimeUnit.SECONDS)).isTrue();
		submit(service, "bcd");
		submit(service, "cde");
		while (service.queueDepth() < 2) {
			Thread.sleep(5);
		}
		long started = System.nanoTime();
		assertThatExceptionOfType(ServiceUnavailableException.class)
			.isThrownBy(() -> service.generate("reverser", null, null, List.of("dea"), 5))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(429);
				assertThat(ex.getType()).isEqualTo(ProblemTypes.TOO_MANY_REQUESTS);
				assertThat(ex.getRetryAfter()).isPositive();
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
		assertThat(rejected("queue_full")).isEqualTo(1);
		assertThat(rejected("deadline_exceeded")).isZero();
	}

	@Test
	void aRequestNotServedByItsDeadlineIsAnswered503() throws Exception {
		GenerationService service = service(16, Duration.ofMillis(300));
		CompletableFuture<GenerateResponse> first = submit(service, "abc");
		assertThat(this.loadStarted.await(5, TimeUnit.SECONDS)).isTrue();
		long started = System.nanoTime();
		assertThatExceptionOfType(ServiceUnavailableException.class)
			.isThrownBy(() -> service.generate("reverser", null, null, List.of("bcd"), 5))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(503);
				assertThat(ex.getType()).isEqualTo(ProblemTypes.DEADLINE_EXCEEDED);
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250),
				Duration.ofSeconds(2));
		this.loadMayFinish.countDown();
		assertThat(first).failsWithin(Duration.ofSeconds(5));
		assertThat(rejected("deadline_exceeded")).isEqualTo(2);
		assertThat(rejected("queue_full")).isZero();
	}

	@Test
	void aRequestThatArrivesWhileABatchFillsAndDoesNotFitStartsTheNextBatch() throws Exception {
		this.loadMayFinish.countDown();
		this.service = new GenerationService(this.registry, this.cache, new GenerationProperties(1, 4,
				Duration.ofMillis(400), 16, Duration.ofSeconds(10), 256, 1000, 100, 1000, true),
				new GenerationMetrics(this.meters));
		CompletableFuture<GenerateResponse> first = CompletableFuture
			.supplyAsync(() -> this.service.generate("reverser", null, null, List.of("abc", "bcd", "cde"), 5));
		// The worker has taken the first request and waits for more to fill its batch.
		Thread.sleep(100);
		GenerateResponse second = this.service.generate("reverser", null, null, List.of("dea", "eab", "abc"), 5);
		assertThat(first.get(10, TimeUnit.SECONDS).outputs()).hasSize(3);
		assertThat(second.outputs()).hasSize(3);
		assertThat(this.service.batches()).isEqualTo(2);
		assertThat(this.meters.get("elman.generation.batch.inputs").summary().max()).isEqualTo(3);
	}

	@Test
	@SuppressWarnings({ "deprecation", "removal" })
	void aWorkerHitByAnErrorMidBatchAnswersItsRequestsAndServesTheNext() throws Exception {
		GenerationService service = service(16, Duration.ofSeconds(10));
		CompletableFuture<GenerateResponse> first = submit(service, "abc");
		assertThat(this.loadStarted.await(5, TimeUnit.SECONDS)).isTrue();
		// This service's worker: other test contexts in this JVM run workers of the same
		// name.
		Thread worker = service.workerThreads().get(0);
		// An error thrown in the middle of its batch.
		worker.stop();
		assertThat(first).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		this.loadMayFinish.countDown();
		assertThat(service.generate("reverser", null, null, List.of("bcd"), 5).outputs().get(0).text())
			.isEqualTo("dcb");
		assertThat(service.workers().state().alive()).isTrue();
	}

	private double rejected(String reason) {
		return this.meters.get("elman.generation.rejected").tag("reason", reason).counter().count();
	}

}

package dev.elman.generation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.model.Generation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What {@code POST /generate} does, for Prometheus. The only tag that varies with use is
 * the model name, and only names the registry resolved are used: a request for a model
 * that does not exist never creates a time series.
 */
final class GenerationMetrics {

	/** Why a request was turned away; a closed set, so a bounded tag. */
	enum Rejection {

		QUEUE_FULL("queue_full"), DEADLINE_EXCEEDED("deadline_exceeded"), SHUTTING_DOWN("shutting_down");

		private final String tag;

		Rejection(String tag) {
			this.tag = tag;
		}

	}

	private final MeterRegistry registry;

	private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();

	private final Map<Rejection, Counter> rejections = new ConcurrentHashMap<>();

	private final DistributionSummary batchInputs;

	private final DistributionSummary batchRequests;

	GenerationMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.batchInputs = DistributionSummary.builder("elman.generation.batch.inputs")
			.description("Inputs decoded together in one dynamic batch")
			.baseUnit("inputs")
			.publishPercentileHistogram()
			.maximumExpectedValue(8192.0)
			.register(registry);
		this.batchRequests = DistributionSummary.builder("elman.generation.batch.requests")
			.description("Requests merged into one dynamic batch")
			.baseUnit("requests")
			.publishPercentileHistogram()
			.maximumExpectedValue(8192.0)
			.register(registry);
		for (Rejection reason : Rejection.values()) {
			this.rejections.put(reason,
					Counter.builder("elman.generation.rejected")
						.description("Requests turned away with 429 or 503, by reason")
						.tag("reason", reason.tag)
						.register(registry));
		}
	}

	/** Publishes the queue's depth and capacity as gauges read at scrape time. */
	<T> void queue(T queue, ToDoubleFunction<T> depth, int capacity) {
		Gauge.builder("elman.generation.queue.depth", queue, depth)
			.description("Requests waiting for a decoding worker")
			.register(this.registry);
		Gauge.builder("elman.generation.queue.capacity", () -> capacity)
			.description("Requests that may wait before new ones get 429")
			.register(this.registry);
	}

	void answered(String model, Duration latency, List<Generation> outputs) {
		ModelMeters meters = this.models.computeIfAbsent(model, this::metersFor);
		meters.latency.record(latency);
		meters.inputs.increment(outputs.size());
		long tokens = 0;
		for (Generation output : outputs) {
			tokens += output.tokenCount();
		}
		meters.tokens.increment(tokens);
	}

	void rejected(Rejection reason) {
		this.rejections.get(reason).increment();
	}

	/** Counts a 429 or 503 by the problem type it carries. */
	void rejected(ServiceUnavailableException ex) {
		if (ProblemTypes.TOO_MANY_REQUESTS.equals(ex.getType())) {
			rejected(Rejection.QUEUE_FULL);
		}
		else if (ProblemTypes.SHUTTING_DOWN.equals(ex.getType())) {
			rejected(Rejection.SHUTTING_DOWN);
		}
		else {
			rejected(Rejection.DEADLINE_EXCEEDED);
		}
	}

	void batch(int inputs, int requests) {
		this.batchInputs.record(inputs);
		this.batchRequests.record(requests);
	}

	private ModelMeters metersFor(String model) {
		Timer latency = Timer.builder("elman.generation.latency")
			.description("Time from a generate request's arrival in the service to its answer, queueing included")
			.tag("model", model)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofNanos(100_000))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(this.registry);
		Counter inputs = Counter.builder("elman.generation.inputs")
			.description("Inputs decoded")
			.tag("model", model)
			.register(this.registry);
		Counter tokens = Counter.builder("elman.generation.tokens")
			.description("Symbols generated, end symbols not counted")
			.tag("model", model)
			.baseUnit("tokens")
			.register(this.registry);
		return new ModelMeters(latency, inputs, tokens);
	}

	private record ModelMeters(Timer latency, Counter inputs, Counter tokens) {

	}

}

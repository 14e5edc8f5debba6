package dev.elman.generation;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code POST /generate} batches, queues and limits requests.
 *
 * @param workers threads that decode, each on one core; 0 means one per available
 * processor
 * @param maxBatchSize the most inputs, from any number of requests for the same model,
 * decoded as one batch
 * @param maxBatchDelay how long a worker that has taken a request waits for more to fill
 * its batch; 0 batches only what is already queued, which costs a lone request nothing
 * @param queueCapacity requests that may wait for a worker; beyond that requests are
 * answered 429 with {@code Retry-After}
 * @param requestTimeout the deadline of a request, queue time included; past it the
 * answer is 503 with {@code Retry-After}
 * @param maxInputs the most inputs in one request
 * @param maxInputLength the most characters in one input
 * @param defaultMaxLength symbols generated per input when the request does not say
 * @param maxLengthCap the largest {@code maxLength} a request may ask for
 * @param decodeOnCallerWhenIdle whether a request that finds the queue empty and a
 * worker's core free is decoded on its own thread, sparing it two thread hand-offs; off,
 * every request goes through the queue. Ignored when {@code maxBatchDelay} is set, since
 * that asks for requests to wait for company
 */
@Validated
@ConfigurationProperties("elman.generation")
public record GenerationProperties(@Min(0) @Max(256) @DefaultValue("0") int workers,
		@Min(1) @Max(8192) @DefaultValue("256") int maxBatchSize, @NotNull @DefaultValue("0ms") Duration maxBatchDelay,
		@Min(1) @Max(1_000_000) @DefaultValue("1024") int queueCapacity,
		@NotNull @DefaultValue("5s") Duration requestTimeout, @Min(1) @Max(100_000) @DefaultValue("256") int maxInputs,
		@Min(1) @Max(1_000_000) @DefaultValue("1000") int maxInputLength,
		@Min(1) @Max(100_000) @DefaultValue("100") int defaultMaxLength,
		@Min(1) @Max(100_000) @DefaultValue("1000") int maxLengthCap,
		@DefaultValue("true") boolean decodeOnCallerWhenIdle) {

	int workerCount() {
		return (this.workers > 0) ? this.workers : Runtime.getRuntime().availableProcessors();
	}

}

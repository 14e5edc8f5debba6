package dev.elman;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import dev.elman.client.ApiClient;
import dev.elman.client.ApiException;
import dev.elman.client.api.GenerationApi;
import dev.elman.client.api.JobsApi;
import dev.elman.client.api.ModelsApi;
import dev.elman.client.api.OperationsApi;
import dev.elman.client.model.AliasTarget;
import dev.elman.client.model.CorpusFormat;
import dev.elman.client.model.LearningRateSchedule;
import dev.elman.client.model.RecurrentInitialization;
import dev.elman.client.model.EpochReport;
import dev.elman.client.model.GenerateRequest;
import dev.elman.client.model.GenerateResponse;
import dev.elman.client.model.Health;
import dev.elman.client.model.HealthStatus;
import dev.elman.client.model.Info;
import dev.elman.client.model.JobPage;
import dev.elman.client.model.JobState;
import dev.elman.client.model.JobSummary;
import dev.elman.client.model.Model;
import dev.elman.client.model.Problem;
import dev.elman.client.model.StopReason;
import dev.elman.client.model.TrainRequest;
import dev.elman.client.model.TrainingJob;
import dev.elman.client.model.TrainingPair;
import dev.elman.client.model.VersionDetails;
import dev.elman.client.model.VersionStatus;
import dev.elman.corpus.TextPair;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract's real test: a Java client generated from {@code openapi.yaml} at build
 * time (OpenAPI Generator, {@code java}, native HTTP client; see pom.xml) drives the
 * running service through every operation and meets every error it can cause, using only
 * generated classes as they come, no field set to null by hand to make a call work. The
 * event stream is followed with a real SSE client, each event read as the generated class
 * the contract's {@code x-sse-events} names for it. If a generator cannot use the
 * contract, the contract is wrong.
 */
class ClientContractTests extends LiveServiceTests {

	private static final String TSV = TestCorpora.tinyReversal()
		.stream()
		.map((pair) -> pair.source() + "\t" + pair.target())
		.collect(Collectors.joining("\n", "", "\n"));

	private ApiClient client;

	private JobsApi jobs;

	private GenerationApi generation;

	private ModelsApi models;

	private OperationsApi operations;

	@BeforeEach
	void connect() {
		this.client = clientWithKey(API_KEY);
		this.jobs = new JobsApi(this.client);
		this.generation = new GenerationApi(this.client);
		this.models = new ModelsApi(this.client);
		this.operations = new OperationsApi(this.client);
	}

	@Test
	void aGeneratedClientTrainsWatchesServesAndManagesModelsThroughEveryOperation() throws Exception {
		String model = "client-every-operation";

		// Inline pairs: the generated class starts with the text options' defaults and
		// sends them.
		TrainRequest pairs = small(new TrainRequest().name(model).pairs(reversalPairs()));
		assertThat(pairs.getFormat()).isEqualTo(CorpusFormat.TSV);
		assertThat(pairs.getDelimiter()).isEqualTo("_");
		TrainingJob first = this.jobs.train(pairs, "client-pairs");
		assertThat(first.getState()).isEqualTo(JobState.QUEUED);
		assertThat(first.getHistory()).isEmpty();
		assertThat(this.jobs.train(pairs, "client-pairs").getId()).as("the same Idempotency-Key, the same job")
			.isEqualTo(first.getId());

		List<Object> events = follow(first.getId());
		assertThat(events.get(0)).isInstanceOf(JobSummary.class);
		List<Integer> epochs = events.stream()
			.filter(EpochReport.class::isInstance)
			.map((event) -> ((EpochReport) event).getEpoch())
			.toList();
		assertThat(epochs).containsExactly(1, 2, 3);
		TrainingJob ended = (TrainingJob) events.get(events.size() - 1);
		assertThat(ended.getState()).isEqualTo(JobState.SUCCEEDED);
		assertThat(ended.getResult().getVersion()).isEqualTo(1);

		// Text: the generated class starts pairs as an empty list and sends it beside the
		// text.
		TrainRequest text = small(new TrainRequest().name(model).text(TSV));
		assertThat(text.getPairs()).isNotNull().isEmpty();
		TrainingJob second = this.jobs.train(text, null);

		// An uploaded file, its options as form fields.
		Path file = Files.writeString(Files.createTempFile("client-corpus", ".tsv"), TSV, StandardCharsets.UTF_8);
		TrainingJob third = this.jobs.trainFromUpload(file.toFile(), null, null, model, CorpusFormat.TSV, null, null,
				null, null, 32, null, null, null, null, 3, 16, 4096, 0.01, LearningRateSchedule.CONSTANT, 10, null,
				null, null, 0.2, null, null, null, false, RecurrentInitialization.UNIFORM);
		assertThat(third.getSettings().getLearningRateSchedule()).isEqualTo(LearningRateSchedule.CONSTANT);
		assertThat(third.getSettings().getRecurrentInitialization()).isEqualTo(RecurrentInitialization.UNIFORM);
		assertThat(third.getSettings().getKeepBestWeights()).isFalse();
		assertThat(third.getSettings().getBatchTokens()).isEqualTo(4096);
		assertThat(third.getCorpus().getFormat()).isEqualTo(CorpusFormat.TSV);
		assertThat(third.getSettings().getLearningRate()).isEqualTo(0.01);
		for (TrainingJob job : List.of(second, third)) {
			assertThat(awaitEnd(job.getId()).getState()).isEqualTo(JobState.SUCCEEDED);
		}

		JobPage page = this.jobs.listJobs(JobState.SUCCEEDED, model, 0, 10);
		assertThat(page.getTotal()).isEqualTo(3L);
		assertThat(page.getItems()).extracting(JobSummary::getId)
			.containsExactlyInAnyOrder(first.getId(), second.getId(), third.getId());
		TrainingJob shown = this.jobs.getJob(first.getId());
		assertThat(shown.getHistory()).hasSize(3);
		EpochReport last = shown.getHistory().get(2);
		assertThat(last.getSpectralNorms()).containsKeys("encoder.layer0", "decoder.layer0");
		assertThat(last.getGradients().getMaxNorm()).isPositive();
		assertThat(shown.getSpec().getHiddenSize()).isEqualTo(32);
		assertThat(shown.getCorpus().getBytes()).isPositive();

		// The generated method for the stream itself, on a finished job: all of it, to
		// its end.
		File stream = this.jobs.watchJob(first.getId());
		String written = Files.readString(stream.toPath());
		assertThat(written).contains("event:job").contains("event:end");

		// Cancel: a job that has not ended is stopped, one already cancelled answers the
		// same.
		TrainingJob longJob = this.jobs
			.train(small(new TrainRequest().name(model + "-long").pairs(reversalPairs())).epochs(100_000), null);
		TrainingJob cancelling = this.jobs.cancelJob(longJob.getId());
		assertThat(cancelling.getCancelRequested()).isTrue();
		assertThat(awaitEnd(longJob.getId()).getState()).isEqualTo(JobState.CANCELLED);
		assertThat(this.jobs.cancelJob(longJob.getId()).getState()).isEqualTo(JobState.CANCELLED);

		// The registry.
		Model shownModel = this.models.getModel(model);
		assertThat(shownModel.getLatest()).isEqualTo(3);
		assertThat(shownModel.getVersions()).hasSize(3)
			.allSatisfy((version) -> assertThat(version.getStatus()).isEqualTo(VersionStatus.READY));
		assertThat(this.models.listModels()).extracting(Model::getName).contains(model);
		VersionDetails version = this.models.getVersion(model, 1);
		assertThat(version.getSizeBytes()).isPositive();
		assertThat(version.getManifest().getSpec().getHiddenSize()).isEqualTo(32);
		assertThat(version.getManifest().getMetadata().getJob()).isEqualTo(first.getId());
		assertThat(version.getManifest().getMetadata().getEngine().getPytorch()).isEqualTo("2.7.1");
		assertThat(version.getManifest().getMetadata().getTraining().getHistory()).hasSize(3);
		assertThat(this.models.setAlias(model, "production", new AliasTarget().version(1)).getVersion()).isEqualTo(1);

		// Generation by version, by alias and by latest.
		GenerateResponse byVersion = this.generation
			.generate(new GenerateRequest().model(model).version(2).inputs(List.of("abc", "cab")));
		assertThat(byVersion.getVersion()).isEqualTo(2);
		assertThat(byVersion.getOutputs()).hasSize(2)
			.allSatisfy((output) -> assertThat(output.getStopReason()).isIn(StopReason.END, StopReason.MAX_LENGTH));
		assertThat(this.generation
			.generate(new GenerateRequest().model(model).alias("production").inputs(List.of("abc")).maxLength(5))
			.getVersion()).isEqualTo(1);
		assertThat(this.generation.generate(new GenerateRequest().model(model).inputs(List.of("abc"))).getVersion())
			.isEqualTo(3);

		Problem inUse = problem(() -> this.models.deleteVersion(model, 1), 409);
		assertThat(inUse.getType()).hasToString("https://elman.dev/problems/alias-in-use");
		this.models.deleteAlias(model, "production");
		this.models.deleteVersion(model, 1);
		assertThat(problem(() -> this.models.getVersion(model, 1), 404).getType())
			.hasToString("https://elman.dev/problems/model-not-found");

		// Operations.
		Health health = this.operations.health();
		assertThat(health.getStatus()).isEqualTo(HealthStatus.UP);
		assertThat(health.getComponents().getEngine().getDetails().getEngine()).isEqualTo("PyTorch");
		assertThat(health.getComponents().getRegistry().getDetails().getFreeBytes()).isPositive();
		assertThat(health.getComponents().getTrainingQueue().getDetails().getSchedulerRunning()).isTrue();
		assertThat(health.getComponents().getBackgroundWork().getDetails().getRegistryScan().getRunning()).isTrue();
		assertThat(this.operations.liveness().getComponents().getLivenessState().getStatus())
			.isEqualTo(HealthStatus.UP);
		assertThat(this.operations.readiness().getComponents().getReadinessState().getStatus())
			.isEqualTo(HealthStatus.UP);
		Info info = this.operations.info();
		assertThat(info.getEngine().getVersion()).isEqualTo("2.7.1");
		assertThat(info.getJava().getVersion()).startsWith("17");
		assertThat(this.operations.prometheus()).contains("elman_generation_latency_seconds");
	}

	@Test
	void everyErrorAGeneratedClientCanCauseArrivesAsAProblemNamingWhatItSent() throws Exception {
		String model = "client-errors";
		TrainRequest good = small(new TrainRequest().name(model).pairs(reversalPairs()));

		Problem badName = problem(
				() -> this.jobs.train(small(new TrainRequest().name("Bad_Name").pairs(reversalPairs())), null), 400);
		assertThat(badName.getErrors()).containsOnlyKeys("name");
		Problem delimiter = problem(() -> this.jobs
			.train(small(new TrainRequest().name(model).pairs(reversalPairs())).delimiter("|"), null), 400);
		assertThat(delimiter.getErrors()).containsOnlyKeys("delimiter");
		Problem noCorpus = problem(() -> this.jobs.train(new TrainRequest().name(model), null), 400);
		assertThat(noCorpus.getDetail()).contains("/train/upload");
		Problem uploadBadValue = problem(
				() -> this.jobs.trainFromUpload(
						Files.writeString(Files.createTempFile("client-corpus", ".tsv"), TSV, StandardCharsets.UTF_8)
							.toFile(),
						null, null, model, CorpusFormat.TSV, null, null, null, null, 0, null, null, null, null, null,
						null, null, null, null, null, null, null, null, null, null, null, null, null, null),
				400);
		assertThat(uploadBadValue.getErrors()).containsOnlyKeys("hiddenSize");
		assertThat(problem(() -> this.models.getModel("Bad_Name"), 400).getErrors()).containsOnlyKeys("name");
		assertThat(problem(() -> this.models.getVersion(model, 0), 400).getErrors()).containsOnlyKeys("version");
		assertThat(problem(() -> this.models.deleteVersion(model, 0), 400).getErrors()).containsOnlyKeys("version");
		assertThat(problem(() -> this.models.setAlias(model, "latest", new AliasTarget().version(1)), 400).getErrors())
			.containsOnlyKeys("alias");
		assertThat(problem(() -> this.generation.generate(new GenerateRequest().model(model).inputs(List.of())), 400)
			.getErrors()).containsOnlyKeys("inputs");
		assertThat(problem(() -> this.jobs.listJobs(null, null, 0, 1000), 400).getErrors()).containsOnlyKeys("size");

		Problem missingKey = problem(() -> new JobsApi(clientWithKey(null)).train(good, null), 401);
		assertThat(missingKey.getType()).hasToString("https://elman.dev/problems/api-key-missing");
		Problem wrongKey = problem(() -> new ModelsApi(clientWithKey("0".repeat(32))).deleteAlias(model, "x"), 403);
		assertThat(wrongKey.getType()).hasToString("https://elman.dev/problems/api-key-invalid");

		String absentJob = "00000000-0000-0000-0000-000000000000";
		for (Executable call : List.<Executable>of(() -> this.jobs.getJob(absentJob),
				() -> this.jobs.cancelJob(absentJob), () -> this.jobs.watchJob(absentJob))) {
			assertThat(problem(call, 404).getType()).hasToString("https://elman.dev/problems/job-not-found");
		}
		for (Executable call : List.<Executable>of(() -> this.models.getModel("absent"),
				() -> this.models.getVersion("absent", 1),
				() -> this.models.setAlias("absent", "production", new AliasTarget().version(1)),
				() -> this.generation.generate(new GenerateRequest().model("absent").inputs(List.of("a"))))) {
			assertThat(problem(call, 404).getType()).hasToString("https://elman.dev/problems/model-not-found");
		}

		TrainingJob quick = this.jobs.train(good, null);
		assertThat(awaitEnd(quick.getId()).getState()).isEqualTo(JobState.SUCCEEDED);
		Problem finished = problem(() -> this.jobs.cancelJob(quick.getId()), 409);
		assertThat(finished.getType()).hasToString("https://elman.dev/problems/job-finished");

		String pendingModel = model + "-pending";
		TrainingJob pendingJob = this.jobs.train(
				small(new TrainRequest().name(pendingModel).pairs(reversalPairs())).epochs(100_000), "client-errors-1");
		Problem reused = problem(() -> this.jobs.train(good, "client-errors-1"), 409);
		assertThat(reused.getType()).hasToString("https://elman.dev/problems/idempotency-conflict");
		Problem pending = problem(
				() -> this.generation.generate(new GenerateRequest().model(pendingModel).inputs(List.of("abc"))), 404);
		assertThat(pending.getDetail()).contains(pendingJob.getId());
		this.jobs.cancelJob(pendingJob.getId());
		assertThat(awaitEnd(pendingJob.getId()).getState()).isEqualTo(JobState.CANCELLED);

		Problem tooLarge = problem(() -> this.generation
			.generate(new GenerateRequest().model(model).inputs(List.of("a".repeat(1_100_000)))), 413);
		assertThat(tooLarge.getType()).hasToString("https://elman.dev/problems/payload-too-large");
	}

	@Test
	void theUploadFormFieldsAreTheOptionsOfTheJsonRequest() {
		OpenAPI api = contract();
		Set<String> json = new TreeSet<>(schema(api, "TrainRequest").getProperties().keySet());
		json.removeAll(Set.of("pairs", "text"));
		Set<String> form = new TreeSet<>(schema(api, "TrainUpload").getProperties().keySet());
		form.removeAll(Set.of("corpus", "options"));
		assertThat(form).isEqualTo(json);
		schema(api, "TrainUpload").getProperties().forEach((name, property) -> {
			if (json.contains(name)) {
				assertThat(property).as(name).isEqualTo(schema(api, "TrainRequest").getProperties().get(name));
			}
		});
	}

	/**
	 * Follows a job's events to the end, each event's data read as the schema the
	 * contract gives it.
	 */
	private List<Object> follow(String jobId) throws Exception {
		Map<String, Class<?>> types = eventTypes();
		ObjectMapper strict = this.client.getObjectMapper()
			.copy()
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
		List<Object> events = new ArrayList<>();
		URI uri = URI.create(this.client.getBaseUri() + "/jobs/" + jobId + "/events");
		try (EventSource source = new EventSource.Builder(
				ConnectStrategy.http(uri).readTimeout(1, java.util.concurrent.TimeUnit.MINUTES))
			.build()) {
			for (MessageEvent message : source.messages()) {
				Class<?> type = types.get(message.getEventName());
				assertThat(type).as("event '%s' has a schema in x-sse-events", message.getEventName()).isNotNull();
				events.add(strict.readValue(message.getData(), type));
				if (message.getEventName().equals("end")) {
					return events;
				}
			}
		}
		throw new AssertionError("The stream closed before its end event: " + events);
	}

	/** The generated class of each event, as {@code x-sse-events} names its schema. */
	@SuppressWarnings("unchecked")
	private static Map<String, Class<?>> eventTypes() throws ClassNotFoundException {
		var response = contract().getPaths().get("/jobs/{id}/events").getGet().getResponses().get("200");
		Map<String, Map<String, String>> events = (Map<String, Map<String, String>>) response.getExtensions()
			.get("x-sse-events");
		Map<String, Class<?>> types = new LinkedHashMap<>();
		for (Map.Entry<String, Map<String, String>> event : events.entrySet()) {
			String ref = event.getValue().get("$ref");
			types.put(event.getKey(),
					Class.forName("dev.elman.client.model." + ref.substring(ref.lastIndexOf('/') + 1)));
		}
		assertThat(types).containsOnlyKeys("job", "progress", "epoch", "end");
		return types;
	}

	private static OpenAPI contract() {
		return new OpenAPIV3Parser().read("openapi.yaml");
	}

	private static Schema<?> schema(OpenAPI api, String name) {
		return api.getComponents().getSchemas().get(name);
	}

	private TrainingJob awaitEnd(String id) {
		return await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.jobs.getJob(id),
					(job) -> job.getState() != JobState.QUEUED && job.getState() != JobState.RUNNING);
	}

	/**
	 * Calls an operation that must fail, and reads its problem with the generated class.
	 */
	private Problem problem(Executable call, int status) throws Exception {
		try {
			call.execute();
		}
		catch (ApiException ex) {
			assertThat(ex.getCode()).as(ex.getResponseBody()).isEqualTo(status);
			Problem problem = this.client.getObjectMapper().readValue(ex.getResponseBody(), Problem.class);
			assertThat(problem.getStatus()).isEqualTo(status);
			assertThat(problem.getRequestId()).isNotBlank();
			return problem;
		}
		catch (Throwable ex) {
			throw new AssertionError("Expected an ApiException with status " + status, ex);
		}
		throw new AssertionError("Expected status " + status + ", but the call succeeded");
	}

	private ApiClient clientWithKey(String key) {
		ApiClient api = new ApiClient();
		api.updateBaseUri("http://localhost:" + this.port);
		api.setReadTimeout(Duration.ofMinutes(1));
		if (key != null) {
			api.setRequestInterceptor((request) -> request.header("Authorization", "Bearer " + key));
		}
		return api;
	}

	private static TrainRequest small(TrainRequest request) {
		return request.hiddenSize(32).epochs(3).batchSize(16).learningRate(0.01).validationFraction(0.2);
	}

	private static List<TrainingPair> reversalPairs() {
		List<TrainingPair> pairs = new ArrayList<>();
		for (TextPair pair : TestCorpora.tinyReversal()) {
			pairs.add(new TrainingPair().source(pair.source()).target(pair.target()));
		}
		return pairs;
	}

}

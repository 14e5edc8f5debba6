package dev.elman;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/prometheus}, parsed by the Prometheus project's own text-format parser
 * (the {@code prometheus_client} Python package): every metric with the right type, the
 * values a train-then-generate session must leave, and no unbounded tag.
 */
class PrometheusScrapeTests extends LiveServiceTests {

	private static final Map<String, String> EXPECTED_TYPES = Map.ofEntries(
			Map.entry("elman_generation_latency_seconds", "histogram"), Map.entry("elman_generation_inputs", "counter"),
			Map.entry("elman_generation_tokens", "counter"), Map.entry("elman_generation_batch_inputs", "histogram"),
			Map.entry("elman_generation_batch_requests", "histogram"),
			Map.entry("elman_generation_queue_depth", "gauge"), Map.entry("elman_generation_queue_capacity", "gauge"),
			Map.entry("elman_generation_rejected", "counter"), Map.entry("elman_jobs", "gauge"),
			Map.entry("elman_training_active", "gauge"), Map.entry("elman_training_submissions_reading", "gauge"),
			Map.entry("elman_training_steps", "counter"), Map.entry("elman_training_tokens", "counter"),
			Map.entry("elman_training_epochs", "counter"), Map.entry("elman_training_tokens_per_second", "gauge"),
			Map.entry("elman_training_loss", "gauge"), Map.entry("elman_training_gradient_norm", "gauge"),
			Map.entry("elman_training_learning_rate", "gauge"),
			Map.entry("elman_training_job_duration_seconds", "summary"), Map.entry("elman_registry_models", "gauge"),
			Map.entry("elman_registry_versions", "gauge"), Map.entry("elman_models_loaded", "gauge"),
			Map.entry("elman_models_loads", "counter"), Map.entry("jvm_memory_used_bytes", "gauge"),
			Map.entry("jvm_threads_live_threads", "gauge"), Map.entry("process_cpu_usage", "gauge"),
			Map.entry("process_uptime_seconds", "gauge"), Map.entry("http_server_requests_seconds", "summary"));

	/**
	 * Tags whose values come from a small, fixed set, plus the model name and the replica
	 * (one value per process).
	 */
	private static final Set<String> BOUNDED_LABELS = Set.of("model", "state", "reason", "status", "outcome", "le",
			"quantile", "replica");

	@Test
	void theFormatIsTheOneTheClientPrefersAndTheFirstNamedOnATie() throws Exception {
		Map<String, String> expected = Map.of("text/plain, application/openmetrics-text", "text/plain",
				"application/openmetrics-text, text/plain", "application/openmetrics-text",
				"application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
						+ "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
				"application/openmetrics-text", "text/plain;q=0.5, application/openmetrics-text;q=0.4", "text/plain",
				"text/plain", "text/plain", "*/*", "text/plain", "text/*, application/openmetrics-text", "text/plain",
				"application/*, text/plain;q=0.5", "application/vnd.google.protobuf",
				"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.9,"
						+ " text/plain;q=0.5",
				"application/vnd.google.protobuf");
		for (Map.Entry<String, String> accept : expected.entrySet()) {
			HttpResponse<String> scrape = send(request("/actuator/prometheus").header("Accept", accept.getKey()));
			assertThat(scrape.statusCode()).isEqualTo(200);
			assertThat(scrape.headers().firstValue("Content-Type").orElse("")).as(accept.getKey())
				.startsWith(accept.getValue());
		}
	}

	@Test
	void theScrapeParsesWithPrometheusOwnParserAndHoldsEveryMetricWithItsType() throws Exception {
		JsonNode job = train("scraped", 3);
		assertThat(job.get("state").stringValue()).isEqualTo("SUCCEEDED");
		HttpResponse<String> generated = post("/generate", "{\"model\":\"scraped\",\"inputs\":[\"abc\",\"bca\"]}");
		assertThat(generated.statusCode()).isEqualTo(200);

		HttpResponse<String> scrape = get("/actuator/prometheus");
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
		Map<String, JsonNode> families = parse(scrape.body());

		Map<String, String> types = new HashMap<>();
		EXPECTED_TYPES.keySet()
			.forEach((name) -> types.put(name,
					families.containsKey(name) ? families.get(name).get("type").stringValue() : "missing"));
		assertThat(types).containsExactlyInAnyOrderEntriesOf(EXPECTED_TYPES);

		assertThat(sample(families, "elman_generation_latency_seconds_count", Map.of("model", "scraped"))).isEqualTo(1);
		assertThat(sample(families, "elman_generation_inputs_total", Map.of("model", "scraped"))).isEqualTo(2);
		assertThat(sample(families, "elman_generation_tokens_total", Map.of("model", "scraped"))).isPositive();
		assertThat(sample(families, "elman_jobs", Map.of("state", "succeeded"))).isGreaterThanOrEqualTo(1);
		assertThat(sample(families, "elman_training_steps_total", Map.of())).isGreaterThanOrEqualTo(3 * 7);
		assertThat(sample(families, "elman_training_epochs_total", Map.of())).isGreaterThanOrEqualTo(3);
		assertThat(sample(families, "elman_training_job_duration_seconds_count", Map.of("outcome", "succeeded")))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(families, "elman_registry_versions", Map.of("status", "ready"))).isGreaterThanOrEqualTo(1);
		assertThat(sample(families, "elman_generation_rejected_total", Map.of("reason", "queue_full"))).isZero();
		assertThat(Double.isNaN(sample(families, "elman_training_loss", Map.of()))).as("no job trains now").isTrue();

		String jobId = job.get("id").stringValue();
		for (JsonNode family : families.values()) {
			if (!family.get("name").stringValue().startsWith("elman_")) {
				continue;
			}
			for (JsonNode sample : family.get("samples")) {
				assertThat(sample.get("labels").propertyNames()).as(sample.get("name").stringValue())
					.isSubsetOf(BOUNDED_LABELS);
				sample.get("labels").values().forEach((value) -> assertThat(value.stringValue()).isNotEqualTo(jobId));
			}
		}
	}

	private static double sample(Map<String, JsonNode> families, String name, Map<String, String> labels) {
		for (JsonNode family : families.values()) {
			for (JsonNode sample : family.get("samples")) {
				if (!sample.get("name").stringValue().equals(name)) {
					continue;
				}
				boolean matches = labels.entrySet()
					.stream()
					.allMatch((label) -> label.getValue()
						.equals(sample.get("labels").path(label.getKey()).stringValue()));
				if (matches) {
					return Double.parseDouble(sample.get("value").stringValue().replace("nan", "NaN"));
				}
			}
		}
		throw new AssertionError("No sample " + name + labels);
	}

	/**
	 * Runs the parser on a scrape.
	 * @return the metric families by name
	 */
	static Map<String, JsonNode> parse(String scrape) throws Exception {
		Path script = Path.of("src/test/resources/prometheus_families.py");
		Process parser = new ProcessBuilder(python(), script.toString()).start();
		try (OutputStream in = parser.getOutputStream()) {
			in.write(scrape.getBytes(StandardCharsets.UTF_8));
		}
		String out;
		String err;
		try (InputStream stdout = parser.getInputStream(); InputStream stderr = parser.getErrorStream()) {
			out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
			err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
		}
		assertThat(parser.waitFor(1, TimeUnit.MINUTES)).isTrue();
		if (parser.exitValue() != 0) {
			throw new AssertionError("The Prometheus parser rejected the scrape or could not run (it needs "
					+ "python3 with prometheus_client: apt-get install python3-prometheus-client, as .ci/run does):\n"
					+ err);
		}
		Map<String, JsonNode> families = new HashMap<>();
		for (JsonNode family : JSON.readTree(out)) {
			families.put(family.get("name").stringValue(), family);
		}
		return families;
	}

	/** Debian's python3, which has the package; the first one on PATH may be another. */
	private static String python() {
		return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
	}

}

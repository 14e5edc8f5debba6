package dev.elman;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerateApplicationTests {

	private static final Path dataDir = TestFolders.temporary("generate-app");

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
		registry.add("elman.registry.scan-interval", () -> "200ms");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private ModelRegistry registry;

	private Seq2SeqModel reversal;

	@BeforeAll
	void publishTheReversalModel() throws Exception {
		this.reversal = TestModels.reversal();
		this.registry.publish("reverser", this.reversal, Map.of("note", "test"));
	}

	@AfterAll
	void closeTheModel() {
		this.reversal.close();
	}

	@Test
	void generatesForOneInputAndForMany() throws Exception {
		HttpResponse<String> one = post("/generate", "{\"model\":\"reverser\",\"inputs\":[\"abc\"]}");
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(one.body()).contains("\"model\":\"reverser\"", "\"version\":1", "\"text\":\"cba\"",
				"\"stopReason\":\"end\"");
		HttpResponse<String> many = post("/generate",
				"{\"model\":\"reverser\",\"inputs\":[\"abc\",\"dea\",\"eeb\"],\"maxLength\":2}");
		assertThat(many.body()).contains("\"text\":\"cb\"", "\"text\":\"ae\"", "\"text\":\"be\"",
				"\"stopReason\":\"max_length\"");
	}

	@Test
	void noRequestFailsWhileVersionsArePublishedAliasesMoveAndVersionsAreDeleted() throws Exception {
		this.registry.publish("flipping", this.reversal, Map.of());
		this.registry.setAlias("flipping", "production", 1);
		AtomicBoolean running = new AtomicBoolean(true);
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String body = (i % 2 == 0) ? "{\"model\":\"flipping\",\"inputs\":[\"abc\",\"ed\"]}"
					: "{\"model\":\"flipping\",\"alias\":\"production\",\"inputs\":[\"bca\"]}";
			Thread client = new Thread(() -> {
				while (running.get()) {
					try {
						int status = post("/generate", body).statusCode();
						statuses.computeIfAbsent(status, (key) -> new AtomicInteger()).incrementAndGet();
					}
					catch (Exception ex) {
						statuses.computeIfAbsent(-1, (key) -> new AtomicInteger()).incrementAndGet();
					}
				}
			});
			clients.add(client);
			client.start();
		}
		int previous = 1;
		for (int round = 0; round < 6; round++) {
			int version = this.registry.publish("flipping", this.reversal, Map.of("round", round)).version();
			this.registry.setAlias("flipping", "production", version);
			Thread.sleep(50);
			this.registry.delete("flipping", previous);
			previous = version;
			Thread.sleep(50);
		}
		running.set(false);
		for (Thread client : clients) {
			client.join();
		}
		assertThat(statuses).containsOnlyKeys(200);
		assertThat(statuses.get(200).get()).isGreaterThan(20);
	}

	@Test
	void aVersionPublishedByAnotherProcessIsServedWithinSeconds() throws Exception {
		try (ModelRegistry other = new ModelRegistry(this.registry.root(), java.time.Clock.systemUTC())) {
			other.publish("from-elsewhere", this.reversal, Map.of());
		}
		long until = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
		HttpResponse<String> response;
		do {
			Thread.sleep(50);
			response = post("/generate", "{\"model\":\"from-elsewhere\",\"inputs\":[\"abc\"]}");
		}
		while (response.statusCode() == 404 && System.nanoTime() < until);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"text\":\"cba\"");
	}

	@Test
	void listsAndShowsModelsOverHttp() throws Exception {
		HttpResponse<String> models = get("/models/reverser");
		assertThat(models.statusCode()).isEqualTo(200);
		assertThat(models.body()).contains("\"name\":\"reverser\"", "\"latest\":1");
		HttpResponse<String> missing = get("/models/absent");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

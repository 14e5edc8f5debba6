package dev.elman;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
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

	@BeforeAll
	void publishTheReversalModel() throws Exception {
		try (Seq2SeqModel model = TestModels.reversal()) {
			this.registry.publish("reverser", model, Map.of("note", "test"));
		}
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

	private HttpResponse<String> post(String path, String json) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

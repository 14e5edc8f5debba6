package dev.elman;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a careless or hostile client sends, over real HTTP: every answer is a 4xx
 * problem+json with a request id, whatever the body's type, size, encoding or path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileRequestsTests {

	private static final Path dataDir = TestFolders.temporary("hostile");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int TWO_MEGABYTES = 2 * 1024 * 1024;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	void aLargeBodyIsRefusedWith413WhateverItsContentType() throws Exception {
		for (String type : List.of("application/json", "application/vnd.x+json", "text/plain",
				"application/x-www-form-urlencoded", "application/octet-stream")) {
			HttpResponse<String> declared = send("POST", "/generate", type,
					HttpRequest.BodyPublishers.ofByteArray(jsonOfSize(TWO_MEGABYTES)));
			assertProblem(declared, 413, "payload-too-large");
		}
	}

	@Test
	void aChunkedBodyIsCutOffAtTheLimitAndAnswered413NotAsBrokenJson() throws Exception {
		HttpResponse<String> chunked = send("POST", "/generate", "application/json",
				chunked(jsonOfSize(TWO_MEGABYTES)));
		assertProblem(chunked, 413, "payload-too-large");
		// A type the endpoint does not take is refused before a byte of the body is read.
		HttpResponse<String> otherType = send("POST", "/generate", "application/vnd.x+json",
				chunked(jsonOfSize(TWO_MEGABYTES)));
		assertProblem(otherType, 415, "invalid-request");
		HttpResponse<String> alias = send("PUT", "/models/some/aliases/prod", "application/json",
				chunked(jsonOfSize(TWO_MEGABYTES)));
		assertProblem(alias, 413, "payload-too-large");
	}

	@Test
	void onlyAFewTrainingRequestsAreReadAtOnce() throws Exception {
		// Two clients that send their corpora slowly hold both places...
		List<Socket> slow = new java.util.ArrayList<>();
		String start = "{\"name\":\"slow\",";
		for (int i = 0; i < 2; i++) {
			Socket socket = new Socket("localhost", this.port);
			socket.getOutputStream()
				.write(("POST /train HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(start.length()) + "\r\n" + start
						+ "\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			slow.add(socket);
		}
		try {
			// Both hold their places before the third comes (the server takes them on
			// threads of its own, in its own time).
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> this.registry.get("elman.training.submissions.reading").gauge().value() == 2);
			// ...so a third is turned away before its body is read.
			HttpResponse<String> third = null;
			for (int i = 0; i < 100; i++) {
				third = post("/train", "{\"name\":\"third\"}");
				if (third.statusCode() == 429) {
					break;
				}
				Thread.sleep(50);
			}
			assertProblem(third, 429, "too-many-requests");
			assertThat(third.headers().firstValue("Retry-After")).isPresent();
		}
		finally {
			for (Socket socket : slow) {
				socket.getOutputStream().write("1\r\n}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
					.isEqualTo("HTTP/1.1 400");
				socket.close();
			}
		}
		// A place is given back just after its answer is sent.
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.registry.get("elman.training.submissions.reading").gauge().value() == 0);
		assertThat(post("/train", "{\"name\":\"fourth\"}").statusCode()).isEqualTo(400);
	}

	@Test
	void multipartWithoutABoundaryIsAClientError() throws Exception {
		for (String path : List.of("/train", "/generate", "/jobs/no-such-job/cancel")) {
			HttpResponse<String> response = send("POST", path, "multipart/form-data",
					HttpRequest.BodyPublishers.ofString("--x\r\nnot really\r\n"));
			assertThat(response.statusCode()).as(path).isIn(400, 404, 415);
			assertProblem(response, response.statusCode(), null);
		}
	}

	@Test
	void problemsTheFrameworkRaisesAreTitledAsTheServicesOwn() throws Exception {
		Map<String, String> titles = Map.of("GET /no-such-thing", "Not found", "PATCH /models", "Method not allowed",
				"POST /generate", "Unsupported media type");
		for (Map.Entry<String, String> expected : titles.entrySet()) {
			String[] request = expected.getKey().split(" ");
			HttpResponse<String> response = send(request[0], request[1], "text/plain",
					HttpRequest.BodyPublishers.ofString("x"));
			assertThat(JSON.readTree(response.body()).get("title").stringValue()).as(expected.getKey())
				.isEqualTo(expected.getValue());
		}
		// Tomcat's own refusals, through the error page, read the same.
		String raw = rawRequest("GET /models/..%2f HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4)).get("title").stringValue())
			.isEqualTo("Bad request");
	}

	@Test
	void aLoneSurrogateIsA400NamingTheField() throws Exception {
		assertInvalidField(post("/train", "{\"name\":\"a\",\"pairs\":[{\"source\":\"ab\",\"target\":\"x\\ud800\"}]}"),
				"pairs[0].target");
		assertInvalidField(post("/train", "{\"name\":\"a\",\"text\":\"\\udc00ab\\tba\"}"), "text");
		assertInvalidField(post("/generate", "{\"model\":\"a\",\"inputs\":[\"ok\",\"\\ud800\"]}"), "inputs[1]");
	}

	@Test
	void pathsTheServerRefusesItselfAreProblemsToo() throws Exception {
		for (String path : List.of("/jobs/..%2f..%2fetc", "/models/..%2f", "/models/a%zz", "/jobs/%00")) {
			String raw = rawRequest("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(raw).as(path).startsWith("HTTP/1.1 400");
			assertThat(raw).as(path).containsIgnoringCase("Content-Type: application/problem+json");
			assertThat(raw).as(path).containsIgnoringCase("X-Request-Id:");
			JsonNode problem = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
			assertThat(problem.get("status").intValue()).isEqualTo(400);
			assertThat(problem.get("requestId").stringValue()).isNotBlank();
			assertThat(raw).doesNotContain("<html");
		}
	}

	@Test
	void aFractionOrAStringWhereANumberBelongsIsRefusedNotRounded() throws Exception {
		assertInvalidField(post("/generate", "{\"model\":\"a\",\"inputs\":[\"ab\"],\"maxLength\":5.7}"), "maxLength");
		assertInvalidField(post("/generate", "{\"model\":\"a\",\"inputs\":[\"ab\"],\"maxLength\":\"5\"}"), "maxLength");
		assertInvalidField(
				post("/train", "{\"name\":\"a\",\"pairs\":[{\"source\":\"ab\",\"target\":\"b\"}]," + "\"epochs\":2.5}"),
				"epochs");
	}

	@Test
	void noValueChangesTypeOnTheWayIn() throws Exception {
		String pair = "{\"source\":\"ab\",\"target\":\"b\"}";
		assertInvalidField(post("/train", "{\"name\":5,\"pairs\":[" + pair + "]}"), "name");
		assertInvalidField(post("/train", "{\"name\":\"a\",\"pairs\":[{\"source\":12,\"target\":true}]}"),
				"pairs[0].source");
		assertInvalidField(post("/train", "{\"name\":\"a\",\"text\":\"a\\tb\",\"keepPadding\":1}"), "keepPadding");
		assertInvalidField(post("/generate", "{\"model\":\"a\",\"inputs\":[1]}"), "inputs[0]");
		assertInvalidField(post("/generate", "{\"model\":\"a\",\"inputs\":[true]}"), "inputs[0]");
	}

	@Test
	void jsonMistakesAreToldInTheCallersTermsNeverInJavas() throws Exception {
		String pair = "{\"source\":\"ab\",\"target\":\"b\"}";
		List<String> bodies = List.of("[]", "\"str\"", "{\"name\":\"a\"}{\"name\":\"b\"}",
				"{\"name\":\"a\",\"pairs\":{}}", "{\"name\":\"a\",\"pairs\":[" + pair + "],\"epochs\":\"5\"}",
				"{\"name\":\"a\",\"name\":\"b\",\"pairs\":[" + pair + "]}", "[".repeat(5000),
				"{\"name\":\"a\",\"epochs\":1" + "0".repeat(2000) + "}");
		for (String body : bodies) {
			for (String path : List.of("/train", "/generate")) {
				HttpResponse<String> response = post(path, body);
				assertProblem(response, 400, "invalid-request");
				assertThat(response.body()).as(body)
					.doesNotContain("java.")
					.doesNotContain("dev.elman")
					.doesNotContain("Jackson")
					.doesNotContain("JsonToken")
					.doesNotContain("Constraints")
					.doesNotContain("Feature");
			}
		}
		assertThat(post("/train", "{\"name\":\"a\",\"name\":\"b\",\"pairs\":[" + pair + "]}").body())
			.contains("a field is given twice");
	}

	@Test
	void aJsonBodyThatIsNotWellFormedUtf8IsRefused() throws Exception {
		byte[] overlongSlash = "{\"name\":\"x\",\"pairs\":[{\"source\":\"\u00c0\u00af\",\"target\":\"b\"}]}"
			.getBytes(StandardCharsets.ISO_8859_1);
		for (String path : List.of("/train", "/generate")) {
			HttpResponse<String> response = send("POST", path, "application/json",
					HttpRequest.BodyPublishers.ofByteArray(overlongSlash));
			assertProblem(response, 400, "invalid-request");
			assertThat(response.body()).contains("not valid UTF-8");
		}
	}

	@Test
	void errorsThatOthersAnswerBareGetAProblemBodyToo() throws Exception {
		// The actuator answers an unknown health group with a bare 404.
		assertProblem(send("GET", "/actuator/health/nope", null, HttpRequest.BodyPublishers.noBody()), 404, null);
		// One readable Accept header and one not.
		HttpResponse<String> twoAccepts = this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/models/nope"))
				.header("Accept", "application/json")
				.header("Accept", ";;")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertProblem(twoAccepts, 404, "model-not-found");
		for (String request : List.of("GET /models HTTP/1.2", "CONNECT /models HTTP/1.1")) {
			String raw = rawRequest(request + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(raw).as(request).containsIgnoringCase("Content-Type: application/problem+json");
			JsonNode problem = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
			assertThat(problem.get("type").stringValue()).as(request).endsWith("/invalid-request");
			assertThat(problem.get("detail").stringValue()).doesNotContain("logged");
		}
	}

	@Test
	void aPathWithParametersIsLimitedAsThePathItRoutesTo() throws Exception {
		// 2 MB: beyond the 1 MB of other paths, well within /train's corpus limit.
		String corpus = "{\"name\":\"Not-A-Name\",\"text\":\"" + "ab\\tba\\n".repeat(250_000) + "\"}";
		for (String path : List.of("/train;x=1")) {
			HttpResponse<String> read = send("POST", path, "application/json",
					chunked(corpus.getBytes(StandardCharsets.UTF_8)));
			assertProblem(read, 400, "invalid-request");
			assertThat(JSON.readTree(read.body()).get("errors").has("name")).as(read.body()).isTrue();
		}
	}

	@Test
	void uploadsWithAnOverlongPartHeaderOrTwoCorporaAreRefusedSayingSo() throws Exception {
		String boundary = "b0undary";
		String longName = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"corpus\"; filename=\""
				+ "x".repeat(600) + "\"\r\n\r\na\tb\r\n--" + boundary + "--\r\n";
		HttpResponse<String> overlong = send("POST", "/train", "multipart/form-data; boundary=" + boundary,
				HttpRequest.BodyPublishers.ofString(longName));
		assertProblem(overlong, 400, "invalid-request");
		assertThat(overlong.body()).contains("headers are longer");
		String part = "--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"corpus\"; filename=\"c.tsv\"\r\n\r\n" + "a\tb\r\n";
		String options = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\n"
				+ "Content-Type: application/json\r\n\r\n{\"name\":\"twice\"}\r\n";
		HttpResponse<String> twice = send("POST", "/train", "multipart/form-data; boundary=" + boundary,
				HttpRequest.BodyPublishers.ofString(options + part + part + "--" + boundary + "--\r\n"));
		assertProblem(twice, 400, "invalid-request");
		assertThat(twice.body()).contains("more than one 'corpus' part");
	}

	@Test
	void metricsNameNoFolderAndNoClassOfTheServer() throws Exception {
		HttpResponse<String> metrics = send("GET", "/actuator/prometheus", null, HttpRequest.BodyPublishers.noBody());
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).doesNotContain(dataDir.toString()).doesNotContain("dev.elman");
	}

	@Test
	void healthNamesNoFolderOfTheServer() throws Exception {
		HttpResponse<String> health = send("GET", "/actuator/health", null, HttpRequest.BodyPublishers.noBody());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).doesNotContain(dataDir.toString()).doesNotContain("\"path\"");
	}

	private static byte[] jsonOfSize(int size) {
		byte[] body = new byte[size];
		Arrays.fill(body, (byte) 'a');
		byte[] start = "{\"model\":\"m\",\"inputs\":[\"".getBytes(StandardCharsets.UTF_8);
		System.arraycopy(start, 0, body, 0, start.length);
		byte[] end = "\"]}".getBytes(StandardCharsets.UTF_8);
		System.arraycopy(end, 0, body, size - end.length, end.length);
		return body;
	}

	/** A body of unknown length: the client sends it chunked. */
	private static HttpRequest.BodyPublisher chunked(byte[] body) {
		return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
	}

	private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return send("POST", path, "application/json", HttpRequest.BodyPublishers.ofString(json));
	}

	private HttpResponse<String> send(String method, String path, String type, HttpRequest.BodyPublisher body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, body);
		if (type != null) {
			request.header("Content-Type", type);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError("The server closed the connection without an answer for " + path, ex);
		}
	}

	private String rawRequest(String request) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static void assertInvalidField(HttpResponse<String> response, String field) {
		assertProblem(response, 400, "invalid-request");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("errors").has(field)).as(response.body()).isTrue();
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("status").intValue()).isEqualTo(status);
		assertThat(problem.get("requestId").stringValue()).isNotBlank();
		if (type != null) {
			assertThat(problem.get("type").stringValue()).endsWith("/" + type);
		}
	}

}

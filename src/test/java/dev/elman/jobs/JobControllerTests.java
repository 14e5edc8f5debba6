package dev.elman.jobs;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.elman.TestFolders;
import dev.elman.http.BodyLimit;
import dev.elman.http.ProblemTypes;
import dev.elman.model.ModelSpec;
import dev.elman.training.TrainingSettings;
import dev.elman.web.WebConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.mock.web.MockPart;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The validation of {@code POST /train} and the job endpoints, with the real service and
 * corpus checks and the database and queue replaced.
 */
@WebMvcTest(JobController.class)
@Import({ JobControllerTests.RealValidation.class, WebConfiguration.class })
@TestPropertySource(properties = { "elman.jobs.max-pairs=200", "elman.jobs.max-sequence-length=20",
		"elman.jobs.max-corpus-size=4KB", "elman.jobs.queue-capacity=16" })
class JobControllerTests {

	private static final Path JOBS = TestFolders.temporary("job-controller");

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private JobRepository repository;

	@MockitoBean
	private TrainingQueue queue;

	@MockitoBean
	private JobEventStream events;

	@EnableConfigurationProperties(JobProperties.class)
	static class RealValidation {

		@Bean
		JobService jobService(JobRepository repository, TrainingQueue queue, JobProperties properties) {
			return new JobService(repository, queue, new JobActivity(), new JobFolders(JOBS),
					new CorpusIntake(properties), properties,
					new TransactionTemplate(mock(PlatformTransactionManager.class)), Clock.systemUTC());
		}

		@Bean
		BodyLimit trainBodyLimit() {
			return new BodyLimit("/train", DataSize.ofKilobytes(8));
		}

	}

	private MvcTestResult train(String json) {
		return this.mvc.post().uri("/train").contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	private static String pairs(String extra) {
		return "{\"name\":\"reverser\",\"pairs\":[{\"source\":\"abc\",\"target\":\"cba\"},"
				+ "{\"source\":\"bca\",\"target\":\"acb\"}]" + extra + "}";
	}

	private void assertInvalid(MvcTestResult result, String field, String detailPart) {
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.INVALID_REQUEST.toString());
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detailPart);
		if (field != null) {
			assertThat(result).bodyJson().extractingPath("$.errors").asMap().containsKey(field);
		}
		verify(this.repository, never()).insert(any());
	}

	@Test
	void acceptsAJobWith202AndItsLocation() {
		MvcTestResult result = train(pairs(",\"hiddenSize\":32,\"epochs\":3"));
		assertThat(result).hasStatus(202);
		String id = result.getResponse().getHeader("Location").substring("/jobs/".length());
		assertThat(result).bodyJson().extractingPath("$.id").isEqualTo(id);
		assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("QUEUED");
		assertThat(result).bodyJson().extractingPath("$.spec.hiddenSize").isEqualTo(32);
		assertThat(result).bodyJson().extractingPath("$.settings.epochs").isEqualTo(3);
		assertThat(result).bodyJson().extractingPath("$.corpus.pairs").isEqualTo(2);
		verify(this.repository).insert(any());
		verify(this.queue).enqueue(id);
	}

	@Test
	void refusesAnEmptyCorpus() {
		assertInvalid(train("{\"name\":\"reverser\",\"pairs\":[]}"), "pairs", "The corpus is missing");
		assertInvalid(train("{\"name\":\"reverser\",\"text\":\"\\n\\n\"}"), "text", "The corpus is empty");
	}

	@Test
	void refusesAMissingCorpusOrTwoOfThem() {
		assertInvalid(train("{\"name\":\"reverser\"}"), "pairs", "The corpus is missing");
		assertInvalid(
				train("{\"name\":\"reverser\",\"pairs\":[{\"source\":\"a\",\"target\":\"b\"}],\"text\":\"a\\tb\"}"),
				"pairs", "not both");
	}

	@Test
	void refusesAPairWithAnEmptySideNamingIt() {
		assertInvalid(train("{\"name\":\"reverser\",\"pairs\":[{\"source\":\"abc\",\"target\":\"cba\"},"
				+ "{\"source\":\"abc\",\"target\":\"\"}]}"), "pairs", "pairs[1]: the target is empty");
		assertInvalid(train("{\"name\":\"reverser\",\"pairs\":[{\"source\":\"abc\"}]}"), "pairs[0]",
				"pairs[0]: a pair needs a source and a target");
	}

	@Test
	void refusesAMalformedLineNamingIt() {
		assertInvalid(train("{\"name\":\"reverser\",\"text\":\"abc\\tcba\\nno tab here\\n\"}"), "text",
				"line 2: expected source<TAB>target but found no tab");
		assertInvalid(train("{\"name\":\"adder\",\"format\":\"delimited\",\"text\":\"1+1_2\\n2+2 4\\n\"}"), "text",
				"line 2: the delimiter '_' does not occur");
		assertInvalid(train("{\"name\":\"adder\",\"format\":\"jsonl\",\"text\":\"{\\\"source\\\":1}\\n\"}"), "text",
				"line 1: \"source\" must be a string");
	}

	@Test
	void acceptsTheBooksDelimitedFormat() {
		MvcTestResult result = train(
				"{\"name\":\"adder\",\"format\":\"delimited\",\"text\":\"16+75  _91  \\n52+607 _659 \\n\"}");
		assertThat(result).hasStatus(202);
		assertThat(result).bodyJson().extractingPath("$.corpus.format").isEqualTo("delimited");
		assertThat(result).bodyJson().extractingPath("$.corpus.delimiter").isEqualTo("_");
	}

	@Test
	void refusesUnknownFields() {
		assertInvalid(train(pairs(",\"hidenSize\":32")), "hidenSize", "Unknown field 'hidenSize'");
	}

	@Test
	void refusesOutOfRangeHyperparametersNamingTheField() {
		assertInvalid(train(pairs(",\"hiddenSize\":0")), "hiddenSize", "hiddenSize must be between 1 and 8192");
		assertInvalid(train(pairs(",\"learningRate\":-0.1")), "learningRate", "learningRate must be greater than 0");
		assertInvalid(train(pairs(",\"cell\":\"transformer\"")), "cell", "cell must be one of rnn-tanh");
		assertInvalid(train(pairs(",\"bpttWindow\":-1")), "bpttWindow", "bpttWindow must be between 0");
		assertInvalid(train(pairs(",\"validationFraction\":1.5")), "validationFraction", "validationFraction");
		assertInvalid(train(pairs(",\"epochs\":0")), "epochs", "epochs must be between 1");
		assertInvalid(train(pairs(",\"layers\":\"two\"")), "layers", "Field 'layers' must be an integer");
		assertInvalid(train(pairs(",\"maxVocabularySize\":2000000")), "maxVocabularySize",
				"maxVocabularySize must be at most 100000");
	}

	@Test
	void refusesInvalidModelNames() {
		assertInvalid(train("{\"name\":\"../etc\",\"pairs\":[{\"source\":\"a\",\"target\":\"b\"}]}"), "name",
				"a model name is");
		assertInvalid(train("{\"pairs\":[{\"source\":\"a\",\"target\":\"b\"}]}"), "name", "a model name is");
	}

	@Test
	void refusesSequencesBeyondTheLimit() {
		assertInvalid(train("{\"name\":\"r\",\"pairs\":[{\"source\":\"" + "a".repeat(21) + "\",\"target\":\"b\"}]}"),
				"pairs", "pairs[0]: the source has 21 symbols; at most 20 are allowed");
	}

	@Test
	void refusesAGiantSideOrLineWithoutSplittingIt() {
		// The limits here: 20 symbols a side, so 64 * 20 + 1024 characters a line.
		assertInvalid(train("{\"name\":\"r\",\"pairs\":[{\"source\":\"" + "a".repeat(3000) + "\",\"target\":\"b\"}]}"),
				"pairs", "pairs[0]: the pair is longer than 2304 characters");
		assertInvalid(train("{\"name\":\"r\",\"text\":\"a\\tb\\n" + "a".repeat(3000) + "\\tb\\n\"}"), "text",
				"line 2: the line is longer than 2304 characters");
		MockMultipartFile corpus = new MockMultipartFile("corpus", "corpus.tsv", "text/plain",
				("a".repeat(3000) + "\tb\n").getBytes());
		MockMultipartFile options = new MockMultipartFile("options", "", MediaType.APPLICATION_JSON_VALUE,
				"{\"name\":\"r\",\"format\":\"tsv\"}".getBytes());
		assertInvalid(this.mvc.post().uri("/train").multipart().file(corpus).file(options).exchange(), "corpus",
				"line 1: the line is longer than 2304 characters");
	}

	@Test
	void refusesAModelTooLargeToTrainNamingItsSize() {
		assertInvalid(train(pairs(",\"hiddenSize\":8192,\"layers\":16,\"cell\":\"lstm\"")), "hiddenSize",
				"gives a model of");
		// The book's sizes are far from the limit.
		assertThat(train(pairs(",\"hiddenSize\":128,\"embeddingSize\":16"))).hasStatus(202);
	}

	@Test
	void refusesMorePairsThanTheLimit() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 201; i++) {
			text.append("a\\tb\\n");
		}
		assertInvalid(train("{\"name\":\"r\",\"text\":\"" + text + "\"}"), "text", "more than 200 pairs");
	}

	@Test
	void refusesACorpusLargerThanTheLimitWith413() {
		String text = "ab\\tba\\n".repeat(700);
		MvcTestResult result = train("{\"name\":\"r\",\"text\":\"" + text + "\"}");
		assertThat(result).hasStatus(413).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE.toString());
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("at most 4096 are accepted");
	}

	@Test
	void refusesABodyLargerThanTheLimitWith413BeforeReadingIt() {
		String text = "x".repeat(9000);
		MvcTestResult result = train("{\"name\":\"r\",\"text\":\"" + text + "\"}");
		assertThat(result).hasStatus(413).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("at most 8192 are accepted here");
	}

	@Test
	void aFullQueueAnswers429WithRetryAfter() {
		given(this.repository.count(JobState.QUEUED, null)).willReturn(16L);
		MvcTestResult result = train(pairs(""));
		assertThat(result).hasStatus(429).hasHeader("Retry-After", "30");
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.TOO_MANY_REQUESTS.toString());
	}

	@Test
	void aRepeatedIdempotencyKeyReturnsTheSameJob() {
		MvcTestResult first = this.mvc.post()
			.uri("/train")
			.header("Idempotency-Key", "k-1")
			.contentType(MediaType.APPLICATION_JSON)
			.content(pairs(""))
			.exchange();
		String id = first.getResponse().getHeader("Location").substring("/jobs/".length());
		org.mockito.ArgumentCaptor<TrainingJob> inserted = org.mockito.ArgumentCaptor.forClass(TrainingJob.class);
		verify(this.repository).insert(inserted.capture());
		given(this.repository.findByIdempotencyKey("k-1")).willReturn(Optional.of(inserted.getValue()));
		MvcTestResult again = this.mvc.post()
			.uri("/train")
			.header("Idempotency-Key", "k-1")
			.contentType(MediaType.APPLICATION_JSON)
			.content(pairs(""))
			.exchange();
		assertThat(again).hasStatus(202).hasHeader("Location", "/jobs/" + id);
		MvcTestResult different = this.mvc.post()
			.uri("/train")
			.header("Idempotency-Key", "k-1")
			.contentType(MediaType.APPLICATION_JSON)
			.content(pairs(",\"epochs\":7"))
			.exchange();
		assertThat(different).hasStatus(409);
		assertThat(different).bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.IDEMPOTENCY_CONFLICT.toString());
	}

	@Test
	void aDifferentRequestThatLosesTheRaceForAKeyIsStillAConflict() {
		MvcTestResult first = train("k-race", pairs(""));
		org.mockito.ArgumentCaptor<TrainingJob> inserted = org.mockito.ArgumentCaptor.forClass(TrainingJob.class);
		verify(this.repository).insert(inserted.capture());
		// The second request looks before the first one's row exists, then loses the
		// insert.
		given(this.repository.findByIdempotencyKey("k-race")).willReturn(Optional.empty(),
				Optional.of(inserted.getValue()));
		org.mockito.BDDMockito.willThrow(new org.springframework.dao.DuplicateKeyException("idempotency_key"))
			.given(this.repository)
			.insert(any());
		MvcTestResult different = train("k-race", pairs(",\"epochs\":7"));
		assertThat(first).hasStatus(202);
		assertThat(different).hasStatus(409);
		assertThat(different).bodyJson()
			.extractingPath("$.type")
			.isEqualTo(ProblemTypes.IDEMPOTENCY_CONFLICT.toString());
	}

	@Test
	void refusesAnEmptyOrOverlongIdempotencyKey() {
		for (String key : List.of("", " ", "x".repeat(201), "caf\u00e9")) {
			assertInvalid(train(key, pairs("")), "Idempotency-Key", "1 to 200 visible ASCII characters");
		}
		assertThat(train("x".repeat(200), pairs(""))).hasStatus(202);
	}

	private MvcTestResult train(String idempotencyKey, String json) {
		return this.mvc.post()
			.uri("/train")
			.header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	@Test
	void acceptsAnUploadedCorpusWithOptions() {
		MockMultipartFile corpus = new MockMultipartFile("corpus", "corpus.tsv", "text/plain",
				"abc\tcba\nbca\tacb\n".getBytes());
		MockMultipartFile options = new MockMultipartFile("options", "", MediaType.APPLICATION_JSON_VALUE,
				"{\"name\":\"reverser\",\"format\":\"tsv\",\"epochs\":2}".getBytes());
		MvcTestResult result = this.mvc.post().uri("/train").multipart().file(corpus).file(options).exchange();
		assertThat(result).hasStatus(202);
		assertThat(result).bodyJson().extractingPath("$.corpus.pairs").isEqualTo(2);
	}

	@Test
	void acceptsAnUploadWithItsOptionsAsFormFieldsAtEitherPath() {
		MockMultipartFile corpus = new MockMultipartFile("corpus", "corpus.tsv", "text/plain",
				"abc\tcba\nbca\tacb\n".getBytes());
		for (String path : List.of("/train", "/train/upload")) {
			MvcTestResult result = this.mvc.post()
				.uri(path)
				.multipart()
				.file(corpus)
				.part(field("name", "reverser"))
				.part(field("format", "tsv"))
				.part(field("epochs", "2"))
				.part(field("learningRate", "0.01"))
				.part(field("reverseSource", "true"))
				.exchange();
			assertThat(result).hasStatus(202);
			assertThat(result).bodyJson().extractingPath("$.settings.epochs").isEqualTo(2);
			assertThat(result).bodyJson().extractingPath("$.settings.learningRate").isEqualTo(0.01);
			assertThat(result).bodyJson().extractingPath("$.spec.reverseSource").isEqualTo(true);
		}
	}

	@Test
	void aFormFieldOfTheWrongTypeUnknownOrTwiceIsRefusedByItsName() {
		MockMultipartFile corpus = new MockMultipartFile("corpus", "corpus.tsv", "text/plain", "a\tb\n".getBytes());
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"))
			.part(field("epochs", "many"))
			.exchange(), "epochs", "must be an integer from -2147483648 to 2147483647 (was 'many')");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"))
			.part(field("keepPadding", "yes"))
			.exchange(), "keepPadding", "must be true or false");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"))
			.part(field("hiddenSize", "1e3"))
			.exchange(), "hiddenSize", "must be an integer");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"))
			.part(field("pairs", "a"))
			.exchange(), "pairs", "Unknown field 'pairs'");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"), field("name", "other"))
			.exchange(), "name", "given more than once");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"))
			.part(field("cell", "transformer"))
			.exchange(), "cell", "cell must be one of");
		MockMultipartFile options = new MockMultipartFile("options", "", MediaType.APPLICATION_JSON_VALUE,
				"{\"name\":\"reverser\"}".getBytes());
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.file(options)
			.part(field("epochs", "2"))
			.exchange(), "epochs", "not both");
	}

	@Test
	void anUploadRefusesWhatCannotBeAnOptionOrACorpusSayingWhichPart() {
		MockMultipartFile corpus = new MockMultipartFile("corpus", "corpus.tsv", "text/plain", "a\tb\n".getBytes());
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"), field("epochs", "3000000000"))
			.exchange(), "epochs", "must be an integer from");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"), field("learningRate", "1e9999999999"))
			.exchange(), "learningRate", "must be a number");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"), field("learningRate", "1".repeat(50)))
			.exchange(), "learningRate", "must be a number");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"), field("learningRate", "1".repeat(100_000)))
			.exchange(), "learningRate", "longer than 4096 bytes");
		MockPart latin1 = new MockPart("delimiter", new byte[] { (byte) 0xa7 });
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"), latin1)
			.exchange(), "delimiter", "not valid UTF-8");
		MockMultipartFile stray = new MockMultipartFile("notes", "notes.txt", "text/plain", "x".getBytes());
		MockPart strayPart = new MockPart("notes", "notes.txt", "x".getBytes());
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.file(stray)
			.part(field("name", "reverser"), strayPart)
			.exchange(), "notes", "only 'corpus' is a file");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.part(field("name", "reverser"))
			.param("corpus", "a\tb\n")
			.exchange(), "corpus", "with the @");
		MockPart nullOptions = new MockPart("options", "null".getBytes());
		assertInvalid(this.mvc.post().uri("/train/upload").multipart().file(corpus).part(nullOptions).exchange(),
				"options", "one JSON object");
		MockPart outOfRange = new MockPart("options", "{\"name\":\"reverser\",\"epochs\":3000000000}".getBytes());
		assertInvalid(this.mvc.post().uri("/train/upload").multipart().file(corpus).part(outOfRange).exchange(),
				"epochs", "out of range");
		assertInvalid(train(pairs(",\"epochs\":3000000000")), "epochs", "out of range");
		assertThat(train(pairs(",\"epochs\":3000000000"))).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.as("a number out of range is JSON: no hint about corpus files")
			.doesNotContain("/train/upload");
		assertInvalid(this.mvc.post()
			.uri("/train/upload")
			.multipart()
			.file(corpus)
			.part(field("name", "reverser"), field("learningRate", "1e999"))
			.exchange(), "learningRate", "must be a finite number");
		MockPart array = new MockPart("options", "[1]".getBytes());
		assertInvalid(this.mvc.post().uri("/train/upload").multipart().file(corpus).part(array).exchange(), "options",
				"The 'options' part must be one JSON object");
		MockPart broken = new MockPart("options", "{\"name\":".getBytes());
		assertInvalid(this.mvc.post().uri("/train/upload").multipart().file(corpus).part(broken).exchange(), "options",
				"The 'options' part is not valid JSON");
		assertInvalid(train("{\"text\":\"a\\tb\\n\"}"), "name", "name is required");
	}

	private static MockPart field(String name, String value) {
		return new MockPart(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@Test
	void theOptionsPartIsJsonWhateverTextTypeItCarriesButNotAnotherType() {
		MockMultipartFile corpus = new MockMultipartFile("corpus", "corpus.tsv", "text/plain", "a\tb\n".getBytes());
		MockPart xml = new MockPart("options", "<name>reverser</name>".getBytes());
		xml.getHeaders().setContentType(MediaType.APPLICATION_XML);
		MvcTestResult refused = this.mvc.post().uri("/train/upload").multipart().file(corpus).part(xml).exchange();
		assertThat(refused).hasStatus(415).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("'options' part")
			.contains("application/json");
		MockPart broken = new MockPart("options", "{\"name\":".getBytes());
		assertInvalid(this.mvc.post().uri("/train/upload").multipart().file(corpus).part(broken).exchange(), null,
				"not valid JSON");
		// curl -F 'options={...}' sends the part without a type.
		MockPart untyped = new MockPart("options", "{\"name\":\"reverser\",\"epochs\":2}".getBytes());
		assertThat(this.mvc.post().uri("/train/upload").multipart().file(corpus).part(untyped).exchange())
			.hasStatus(202);
	}

	@Test
	void inlinePairsTolerateTheTextOptionsAtTheirDefaultsAndNameTheOneThatIsNot() {
		assertInvalid(train(pairs(",\"delimiter\":\"|\"")), "delimiter", "inline pairs need none");
		assertInvalid(train(pairs(",\"format\":\"jsonl\"")), "format", "inline pairs need none");
		assertInvalid(train(pairs(",\"keepPadding\":true")), "keepPadding", "inline pairs need none");
		assertThat(train(pairs(",\"format\":\"tsv\",\"delimiter\":\"_\",\"keepPadding\":false"))).hasStatus(202);
		assertThat(train("{\"name\":\"reverser\",\"pairs\":[],\"text\":\"abc\\tcba\\n\"}")).hasStatus(202);
	}

	@Test
	void aCorpusInAnotherFormatThanNamedGetsAHint() {
		assertInvalid(train("{\"name\":\"adder\",\"format\":\"delimited\",\"text\":\"1+1\\t2\\n\"}"), "text",
				"give format 'tsv'");
		assertInvalid(train("{\"name\":\"adder\",\"text\":\"1+1_2\\n\"}"), "text", "give format 'delimited'");
		assertInvalid(train("{\"name\":\"adder\",\"text\":\"{\\\"source\\\":\\\"a\\\"}\\n\"}"), "text",
				"give format 'jsonl'");
		MvcTestResult tsvAsBody = this.mvc.post()
			.uri("/train")
			.contentType(MediaType.APPLICATION_JSON)
			.content("1+1\t2\n")
			.exchange();
		assertInvalid(tsvAsBody, null, "upload the file to /train/upload");
	}

	@Test
	void refusesAnUploadWithoutItsCorpusOrWithInlinePairs() {
		MockMultipartFile options = new MockMultipartFile("options", "", MediaType.APPLICATION_JSON_VALUE,
				"{\"name\":\"reverser\"}".getBytes());
		MvcTestResult missing = this.mvc.post().uri("/train").multipart().file(options).exchange();
		assertThat(missing).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		MockMultipartFile corpus = new MockMultipartFile("corpus", "c.tsv", "text/plain", "a\tb\n".getBytes());
		MockMultipartFile inline = new MockMultipartFile("options", "", MediaType.APPLICATION_JSON_VALUE,
				"{\"name\":\"reverser\",\"pairs\":[{\"source\":\"a\",\"target\":\"b\"}]}".getBytes());
		assertInvalid(this.mvc.post().uri("/train").multipart().file(corpus).file(inline).exchange(), "options",
				"must not contain pairs or text");
	}

	@Test
	void anUnknownJobIsNotFound() {
		given(this.repository.find(anyString())).willReturn(Optional.empty());
		MvcTestResult result = this.mvc.get().uri("/jobs/nope").exchange();
		assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.JOB_NOT_FOUND.toString());
		assertThat(this.mvc.post().uri("/jobs/nope/cancel").exchange()).hasStatus(404);
	}

	@Test
	void cancellingAFinishedJobIsAConflictAndCancellingTwiceIsFine() {
		given(this.repository.find("done")).willReturn(Optional.of(job("done", JobState.SUCCEEDED)));
		MvcTestResult finished = this.mvc.post().uri("/jobs/done/cancel").exchange();
		assertThat(finished).hasStatus(409);
		assertThat(finished).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.JOB_FINISHED.toString());
		given(this.repository.find("gone")).willReturn(Optional.of(job("gone", JobState.CANCELLED)));
		assertThat(this.mvc.post().uri("/jobs/gone/cancel").exchange()).hasStatus(200);
	}

	@Test
	void cancellingAQueuedJobEndsItAtOnce() {
		given(this.repository.find("waiting")).willReturn(Optional.of(job("waiting", JobState.QUEUED)),
				Optional.of(job("waiting", JobState.CANCELLED)));
		given(this.repository.cancelQueued(eq("waiting"), any())).willReturn(true);
		MvcTestResult result = this.mvc.post().uri("/jobs/waiting/cancel").exchange();
		assertThat(result).hasStatus(200);
		assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("CANCELLED");
		verify(this.queue).remove("waiting");
	}

	@Test
	void aCancelThatMeetsAJobJustStartingLeavesItToStopItself() throws Exception {
		// The job was queued when read, and a runner has marked it running since.
		given(this.repository.find("starting")).willReturn(Optional.of(job("starting", JobState.QUEUED)),
				Optional.of(job("starting", JobState.RUNNING)));
		given(this.repository.cancelQueued(eq("starting"), any())).willReturn(false);
		java.nio.file.Files.createDirectories(JOBS.resolve("starting"));
		MvcTestResult result = this.mvc.post().uri("/jobs/starting/cancel").exchange();
		assertThat(result).hasStatus(202);
		verify(this.repository).requestCancel("starting");
		verify(this.repository, never()).finish(any(), any(), any(), any(), any());
		verify(this.queue, never()).remove("starting");
		assertThat(JOBS.resolve("starting")).isDirectory();
	}

	@Test
	void refusesBadListParameters() {
		assertThat(this.mvc.get().uri("/jobs?state=SLEEPING").exchange()).hasStatus(400);
		assertThat(this.mvc.get().uri("/jobs?size=0").exchange()).hasStatus(400);
		assertThat(this.mvc.get().uri("/jobs?page=-1").exchange()).hasStatus(400);
	}

	private static TrainingJob job(String id, JobState state) {
		return new TrainingJob(id, "m", state, Instant.now(), null, null, false, 0, null, ModelSpec.defaults(),
				TrainingSettings.defaults(), null, null, List.of(), null, null, null, null, null);
	}

}

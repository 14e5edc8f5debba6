package dev.elman.generation;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.model.Generation;
import dev.elman.model.StopReason;
import dev.elman.registry.ModelNotFoundException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

@WebMvcTest(GenerateController.class)
@Import(GenerateControllerTests.Settings.class)
class GenerateControllerTests {

	@EnableConfigurationProperties(GenerationProperties.class)
	static class Settings {

	}

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private GenerationService service;

	private MvcTestResult post(String json) {
		return this.mvc.post().uri("/generate").contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	private void assertInvalid(String json, String field, String detailPart) {
		MvcTestResult result = post(json);
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.INVALID_REQUEST.toString());
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Invalid request");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detailPart);
		if (field != null) {
			assertThat(result).bodyJson().extractingPath("$.errors").asMap().containsKey(field);
		}
		verifyNoInteractions(this.service);
	}

	@Test
	void answersWithTheOutputsAndTheVersionUsed() {
		given(this.service.generate(eq("adder"), any(), any(), eq(List.of("1+2")), eq(100)))
			.willReturn(new GenerateResponse("adder", 3, List.of(new Generation("3", 1, StopReason.END, -0.01, 0))));
		MvcTestResult result = post("{\"model\":\"adder\",\"inputs\":[\"1+2\"]}");
		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson()
			.isLenientlyEqualTo("{\"model\":\"adder\",\"version\":3,\"outputs\":[{\"text\":\"3\",\"tokenCount\":1,"
					+ "\"stopReason\":\"end\",\"meanLogProbability\":-0.01,\"unknownSymbols\":0}]}");
	}

	@Test
	void rejectsAMissingModel() {
		assertInvalid("{\"inputs\":[\"a\"]}", "model", "model must not be null");
	}

	@Test
	void rejectsMissingOrEmptyInputs() {
		assertInvalid("{\"model\":\"adder\"}", "inputs", "inputs must not be");
		assertInvalid("{\"model\":\"adder\",\"inputs\":[]}", "inputs", "inputs must not be empty");
	}

	@Test
	void rejectsTooManyInputs() {
		String inputs = String.join(",", Collections.nCopies(257, "\"a\""));
		assertInvalid("{\"model\":\"adder\",\"inputs\":[" + inputs + "]}", "inputs",
				"inputs may hold at most 256 inputs (was 257)");
	}

	@Test
	void rejectsAnInputThatIsTooLongOrNull() {
		assertInvalid("{\"model\":\"adder\",\"inputs\":[\"ok\",\"" + "x".repeat(1001) + "\"]}", "inputs[1]",
				"inputs[1] may be at most 1000 characters long (was 1001)");
		assertInvalid("{\"model\":\"adder\",\"inputs\":[\"ok\",null]}", "inputs[1]", "inputs[1] must be a string");
	}

	@Test
	void rejectsALengthLimitOutOfRange() {
		assertInvalid("{\"model\":\"adder\",\"inputs\":[\"a\"],\"maxLength\":0}", "maxLength",
				"maxLength must be greater than or equal to 1");
		assertInvalid("{\"model\":\"adder\",\"inputs\":[\"a\"],\"maxLength\":1001}", "maxLength",
				"maxLength must be at most 1000 (was 1001)");
	}

	@Test
	void rejectsAVersionTogetherWithAnAlias() {
		assertInvalid("{\"model\":\"adder\",\"inputs\":[\"a\"],\"version\":2,\"alias\":\"production\"}", "alias",
				"cannot be given together with a version");
	}

	@Test
	void rejectsModelNamesThatCouldLeaveTheRegistry() {
		assertInvalid("{\"model\":\"../etc\",\"inputs\":[\"a\"]}", "model", "a model name is 1 to 64 characters");
		assertInvalid("{\"model\":\"adder\",\"alias\":\"../x\",\"inputs\":[\"a\"]}", "alias", "an alias is");
	}

	@Test
	void rejectsUnknownFieldsWrongTypesAndBrokenJson() {
		assertInvalid("{\"model\":\"adder\",\"inputs\":[\"a\"],\"temperature\":0.7}", "temperature",
				"Unknown field 'temperature'");
		assertInvalid("{\"model\":\"adder\",\"inputs\":\"abc\"}", "inputs", "Field 'inputs' must be an array");
		assertInvalid("{\"model\":\"adder\",\"inputs\":[\"a\"]", null, "The body is not valid JSON");
		assertInvalid("", null, "The request body is missing");
	}

	@Test
	void aMissingModelIsNotFound() {
		given(this.service.generate(eq("nothing"), any(), any(), anyList(), anyInt()))
			.willThrow(ModelNotFoundException.model("nothing"));
		MvcTestResult result = post("{\"model\":\"nothing\",\"inputs\":[\"a\"]}");
		assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson()
			.isLenientlyEqualTo("{\"type\":\"" + ProblemTypes.MODEL_NOT_FOUND + "\",\"title\":\"Not found\","
					+ "\"status\":404,\"detail\":\"There is no model named 'nothing'.\",\"instance\":\"/generate\"}");
	}

	@Test
	void aFullQueueAnswers429WithRetryAfter() {
		given(this.service.generate(any(), any(), any(), anyList(), anyInt()))
			.willThrow(new ServiceUnavailableException(429, ProblemTypes.TOO_MANY_REQUESTS, "The queue is full",
					Duration.ofMillis(1500)));
		MvcTestResult result = post("{\"model\":\"adder\",\"inputs\":[\"a\"]}");
		assertThat(result).hasStatus(429).hasHeader("Retry-After", "2");
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.TOO_MANY_REQUESTS.toString());
	}

	@Test
	void aMissedDeadlineAnswers503WithRetryAfter() {
		given(this.service.generate(any(), any(), any(), anyList(), anyInt()))
			.willThrow(new ServiceUnavailableException(503, ProblemTypes.DEADLINE_EXCEEDED, "Too slow",
					Duration.ofSeconds(1)));
		MvcTestResult result = post("{\"model\":\"adder\",\"inputs\":[\"a\"]}");
		assertThat(result).hasStatus(503).hasHeader("Retry-After", "1");
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.DEADLINE_EXCEEDED.toString());
	}

	@Test
	void anUnexpectedFailureLeaksNoDetails() throws Exception {
		given(this.service.generate(any(), any(), any(), anyList(), anyInt()))
			.willThrow(new IllegalStateException("secret internals at dev.elman.Foo"));
		MvcTestResult result = post("{\"model\":\"adder\",\"inputs\":[\"a\"]}");
		assertThat(result).hasStatus(500);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("The service failed unexpectedly; the failure is logged.");
		assertThat(result.getResponse().getContentAsString()).doesNotContain("secret", "dev.elman");
	}

}

package dev.elman;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every response carries a request id, taken from {@code X-Request-Id} or made up, that
 * also appears in ProblemDetail bodies and in the log lines written while serving it.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestTracingTests extends LiveServiceTests {

	@Test
	void echoesTheCallersIdInTheHeaderAndInTheProblemBody() throws Exception {
		HttpResponse<String> response = send(request("/generate").header("X-Request-Id", "client-7f3a.42")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"absent\",\"inputs\":[\"a\"]}")));
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("client-7f3a.42");
		assertThat(json(response).get("requestId").stringValue()).isEqualTo("client-7f3a.42");
	}

	@Test
	void makesUpAnIdWhenTheCallerSendsNoneOrAnUnsafeOne() throws Exception {
		HttpResponse<String> none = get("/actuator/health/liveness");
		String made = none.headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(UUID.fromString(made)).isNotNull();

		String forged = "x\" 2026-01-01 ERROR forged log line";
		HttpResponse<String> unsafe = send(request("/jobs/no-such-job").header("X-Request-Id", forged));
		assertThat(unsafe.statusCode()).isEqualTo(404);
		String replaced = unsafe.headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(replaced).isNotEqualTo(forged);
		assertThat(UUID.fromString(replaced)).isNotNull();
		assertThat(json(unsafe).get("requestId").stringValue()).isEqualTo(replaced);
	}

	@Test
	void errorsFromFiltersCarryTheIdToo() throws Exception {
		String huge = "{\"model\":\"m\",\"inputs\":[\"" + "a".repeat(2_000_000) + "\"]}";
		HttpResponse<String> response = send(request("/generate").header("X-Request-Id", "big-body-1")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(huge)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
		assertThat(json(response).get("requestId").stringValue()).isEqualTo("big-body-1");
	}

	@Test
	void logLinesWrittenWhileServingARequestCarryItsId(CapturedOutput output) throws Exception {
		HttpResponse<String> accepted = send(authorized("/train").header("X-Request-Id", "trace-train-1")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(reversalJob("traced", 1))));
		assertThat(accepted.statusCode()).isEqualTo(202);
		String id = json(accepted).get("id").stringValue();
		assertThat(output.getOut()).containsPattern("\\[trace-train-1\\] .*Accepted training job " + id);
	}

}

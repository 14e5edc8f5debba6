package dev.elman.security;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@ExtendWith(OutputCaptureExtension.class)
class ApiKeyFilterTests {

	private static final String KEY = "0123456789abcdef0123456789abcdef";

	private static final String OLD_KEY = "fedcba9876543210fedcba9876543210";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@ParameterizedTest(name = "{0} {1}: needs a key {2}")
	@CsvSource({ "POST, /train, true", "POST, /jobs/j-1/cancel, true", "DELETE, /models/adder/versions/3, true",
			"PUT, /models/adder/aliases/production, true", "DELETE, /models/adder/aliases/production, true",
			"PATCH, /models/adder, true", "POST, /some/future/endpoint, true", "POST, /generate, false",
			"GET, /jobs, false", "GET, /models/adder, false", "HEAD, /models, false", "OPTIONS, /train, false",
			"GET, /actuator/health/readiness, false", "GET, /actuator/prometheus, false" })
	void stateChangingRequestsNeedAKeyAndReadsDoNot(String method, String path, boolean needsKey) throws Exception {
		MockHttpServletResponse response = filter(false, request(method, path));
		assertThat(response.getStatus()).isEqualTo(needsKey ? 401 : 200);
	}

	@Test
	void generateNeedsAKeyWhenProtected() throws Exception {
		assertThat(filter(true, request("POST", "/generate")).getStatus()).isEqualTo(401);
		MockHttpServletRequest withKey = request("POST", "/generate");
		withKey.addHeader("X-API-Key", KEY);
		assertThat(filter(true, withKey).getStatus()).isEqualTo(200);
	}

	@Test
	void aMissingKeyIs401WithAChallengeAndAProblemBody() throws Exception {
		MockHttpServletResponse response = filter(false, request("POST", "/train"));
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"elman\"");
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"type\":\"https://elman.dev/problems/api-key-missing\"",
				"\"status\":401", "\"instance\":\"/train\"");
		assertThat(this.meters.get("elman.security.rejected").tag("reason", "missing").counter().count()).isEqualTo(1);
	}

	@Test
	void aWrongKeyIs403AndIsNeverLogged(CapturedOutput output) throws Exception {
		String wrong = "not-the-right-key-at-all-0000000";
		MockHttpServletRequest request = request("DELETE", "/models/adder/versions/1");
		request.addHeader("Authorization", "Bearer " + wrong);
		MockHttpServletResponse response = filter(false, request);
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentAsString()).contains("\"type\":\"https://elman.dev/problems/api-key-invalid\"");
		assertThat(response.getContentAsString()).doesNotContain(wrong);
		assertThat(output.getAll()).contains("Refused DELETE /models/adder/versions/1").doesNotContain(wrong);
		assertThat(this.meters.get("elman.security.rejected").tag("reason", "invalid").counter().count()).isEqualTo(1);
	}

	@Test
	void acceptsEitherHeaderAndEveryConfiguredKeySoKeysCanBeRotated() throws Exception {
		MockHttpServletRequest bearer = request("POST", "/train");
		bearer.addHeader("Authorization", "bearer " + KEY);
		assertThat(filter(false, bearer).getStatus()).isEqualTo(200);
		MockHttpServletRequest header = request("POST", "/train");
		header.addHeader("X-API-Key", OLD_KEY);
		assertThat(filter(false, header).getStatus()).isEqualTo(200);
	}

	@Test
	void anotherAuthorizationSchemeCountsAsNoKey() throws Exception {
		MockHttpServletRequest basic = request("POST", "/train");
		basic.addHeader("Authorization", "Basic dXNlcjpwYXNz");
		assertThat(filter(false, basic).getStatus()).isEqualTo(401);
	}

	@Test
	void withoutKeysEverythingIsOpenAndStartupWarnsOnce(CapturedOutput output) throws Exception {
		ApiKeys none = new ApiKeys(List.of());
		ApiKeyFilter open = new ApiKeyFilter(none, true, this.meters);
		MockHttpServletResponse response = new MockHttpServletResponse();
		open.doFilter(request("DELETE", "/models/adder/versions/1"), response, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(200);
		SecurityConfiguration.announce(none, false);
		assertThat(output.getAll()).containsOnlyOnce("No API keys are set (elman.security.api-keys)");
	}

	@Test
	void shortKeysAreRefusedAtStartupWithoutPrintingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SecurityProperties(List.of(KEY, "guessable"), false))
			.withMessage("elman.security.api-keys[1] is shorter than 16 characters; "
					+ "generate keys with: openssl rand -hex 32");
	}

	private MockHttpServletResponse filter(boolean protectGenerate, MockHttpServletRequest request) throws Exception {
		ApiKeyFilter filter = new ApiKeyFilter(new ApiKeys(List.of(KEY, OLD_KEY)), protectGenerate, this.meters);
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain());
		return response;
	}

	private static MockHttpServletRequest request(String method, String path) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		request.setRemoteAddr("192.0.2.7");
		return request;
	}

}

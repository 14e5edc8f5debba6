package dev.elman;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.elman.corpus.TextPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in Debian's Chromium against the live service with an API key on: a job
 * started from the form with a file upload whose loss curve gains points while it trains,
 * a validation error under its field, the key's absence and a wrong key explained, a job
 * cancelled from its page, two runs compared, the try-it box, phone width, Swagger UI.
 */
class ConsoleBrowserTests extends LiveServiceTests {

	private ConsoleBrowser browser;

	private ConsoleBrowser browser() {
		if (this.browser == null) {
			this.browser = new ConsoleBrowser(this.port, 1280, 1000);
		}
		return this.browser;
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	private void enterKey(String key) {
		WebElement field = browser().find("#api-key");
		field.clear();
		field.sendKeys(key);
		browser().find("#key-form button[type=submit]").click();
	}

	private boolean running() {
		return "RUNNING".equals(browser().find("#job-summary").getDomAttribute("data-state"));
	}

	private static Path corpusFile() throws Exception {
		Path file = Files.createTempFile("console-corpus", ".tsv");
		Files.writeString(file,
				TestCorpora.tinyReversal()
					.stream()
					.map((TextPair pair) -> pair.source() + "\t" + pair.target())
					.collect(Collectors.joining("\n", "", "\n")));
		return file;
	}

	private void fill(String field, String value) {
		WebElement input = browser().find("#field-" + field);
		if (input.getTagName().equals("select")) {
			new Select(input).selectByValue(value);
		}
		else if (input.getTagName().equals("textarea")) {
			// Typing a tab would move the focus on instead.
			browser().script("arguments[0].value = arguments[1]", input, value);
		}
		else {
			input.clear();
			input.sendKeys(value);
		}
	}

	@Test
	void aJobStartedFromTheFormWithAnUploadShowsItsLossCurveGrowingWhileItTrains() throws Exception {
		browser().open("#/train");
		enterKey(API_KEY);
		fill("name", "console-upload");
		browser().find("#field-corpus").sendKeys(corpusFile().toAbsolutePath().toString());
		fill("epochs", "600");
		fill("hiddenSize", "32");
		fill("batchSize", "16");
		fill("learningRate", "0.01");
		fill("validationFraction", "0.2");
		browser().find("#train-submit").click();
		browser().waitFor((driver) -> driver.getCurrentUrl().contains("#/jobs/"), "the job's page");
		String jobId = browser().driver().getCurrentUrl().replaceFirst(".*#/jobs/", "");

		// Points arrive while the job runs: seen twice, more the second time, still
		// running.
		int first = browser().waitFor((driver) -> {
			int points = browser().points("chart-loss");
			return points >= 2 && running() ? points : null;
		}, "the first points of the loss curve while the job runs");
		int later = browser().waitFor((driver) -> {
			int points = browser().points("chart-loss");
			return points > first && running() ? points : null;
		}, "more points of the loss curve while the job still runs");
		assertThat(later).isGreaterThan(first).isLessThan(2 * 600);
		browser().screenshot("job-training");

		browser().waitFor((driver) -> "true".equals(browser().find("#job-summary").getDomAttribute("data-ended")),
				"the job's end");
		assertThat(browser().find("#job-summary").getDomAttribute("data-state")).isEqualTo("SUCCEEDED");
		// Every chart holds every epoch: two series of 600 points for the loss, one σ per
		// W_h.
		assertThat(browser().points("chart-loss")).isEqualTo(2 * 600);
		assertThat(browser().seriesLabels("chart-spectral")).containsExactly("decoder.layer0", "encoder.layer0",
				"σ = 1");
		assertThat(browser().find("main").getText()).contains("σ = 1", "explode", "vanish");
		browser().screenshot("job-finished");
	}

	@Test
	void aValueTheServerRefusesIsExplainedUnderItsField() throws Exception {
		browser().open("#/train");
		enterKey(API_KEY);
		fill("name", "console-invalid");
		fill("text", "abc\tcba\n");
		fill("epochs", "0");
		browser().find("#train-submit").click();
		WebElement error = browser().waitFor((driver) -> {
			WebElement place = browser().find("#error-epochs");
			return place.getText().isBlank() ? null : place;
		}, "the error under epochs");
		// The very message the service gives for that field.
		var refused = post("/train", "{\"name\":\"console-invalid\",\"text\":\"abc\\tcba\\n\",\"epochs\":0}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(error.getText()).isEqualTo(json(refused).at("/errors/epochs").stringValue());
		assertThat(browser().find("#field-epochs").getDomAttribute("aria-invalid")).isEqualTo("true");
		assertThat(browser().find("#error-name").getText()).isEmpty();
	}

	@Test
	void withoutAKeyTheFormSaysOneIsNeededAndAWrongOneIsRefused() throws Exception {
		browser().open("#/train");
		fill("name", "console-keyless");
		fill("text", "abc\tcba\n");
		browser().find("#train-submit").click();
		String missing = browser().waitFor((driver) -> blankToNull(browser().find("#train-error").getText()),
				"the missing key's message");
		assertThat(missing).contains("needs an API key");
		enterKey("wrong-key");
		browser().find("#train-submit").click();
		String refused = browser().waitFor((driver) -> {
			String text = browser().find("#train-error").getText();
			return text.contains("refused") ? text : null;
		}, "the wrong key's message");
		assertThat(refused).contains("refused this API key");
		// Kept for this tab only, not across sessions.
		assertThat(browser().script("return sessionStorage.getItem('elman.apiKey')")).isEqualTo("wrong-key");
		assertThat(browser().script("return localStorage.length")).isEqualTo(0L);
		assertThat(json(get("/jobs?model=console-keyless")).get("total").intValue()).isZero();
	}

	@Test
	void aJobIsCancelledFromItsPage() throws Exception {
		var accepted = post("/train", reversalJob("console-cancelled", 20_000));
		String location = accepted.headers().firstValue("Location").orElseThrow();
		try {
			browser().open("#" + location);
			enterKey(API_KEY);
			browser().waitFor(
					(driver) -> "RUNNING".equals(browser().find("#job-summary").getDomAttribute("data-state")),
					"the job to run");
			browser().find("#cancel-job").click();
			browser().waitFor(
					(driver) -> "CANCELLED".equals(browser().find("#job-summary").getDomAttribute("data-state")),
					"the job to be cancelled");
			assertThat(json(get(location)).get("state").stringValue()).isEqualTo("CANCELLED");
		}
		finally {
			// Whatever failed above, the other tests' jobs must not queue behind this
			// one.
			post(location + "/cancel", "");
		}
	}

	@Test
	void twoFinishedRunsAreComparedCurveByCurveWithTheirDifferencesMarked() throws Exception {
		JsonNode separate = train("console-separate", 12);
		var tied = post("/train",
				reversalJob("console-tied", 12).replace("\"name\"", "\"weightSharing\":\"tied\",\"name\""));
		assertThat(tied.statusCode()).isEqualTo(202);
		JsonNode tiedJob = waitForEnd(tied.headers().firstValue("Location").orElseThrow());
		browser().open("#/jobs");
		for (JsonNode job : List.of(separate, tiedJob)) {
			browser().find("input[type=checkbox][value='" + job.get("id").stringValue() + "']").click();
		}
		browser().find("#compare-selected").click();
		browser().waitFor((driver) -> browser().findAll("#compare-settings tbody tr").size() > 5 ? true : null,
				"the settings table");
		WebElement sharing = browser().find("#compare-settings tr[data-setting=weightSharing]");
		assertThat(sharing.getDomAttribute("data-differs")).isEqualTo("true");
		assertThat(sharing.getText()).contains("separate", "tied");
		assertThat(browser().find("#compare-settings tr[data-setting=hiddenSize]").getDomAttribute("data-differs"))
			.isEqualTo("false");
		// Two runs of two series each, twelve epochs apiece.
		assertThat(browser().seriesLabels("compare-loss")).hasSize(4)
			.allSatisfy((label) -> assertThat(label).containsAnyOf("run 1", "run 2"));
		assertThat(browser().points("compare-loss")).isEqualTo(4 * 12);
		browser().screenshot("compare");
	}

	@Test
	void theTryItBoxShowsEachOutputWithItsStopReasonAndLogProbability() throws Exception {
		train("console-try", 80);
		browser().open("#/models/console-try");
		browser().find("#try-inputs").sendKeys("abc\ncde");
		browser().find("#try-submit").click();
		List<WebElement> rows = browser().waitFor((driver) -> {
			List<WebElement> found = browser().findAll("#try-outputs tr");
			return found.size() == 2 ? found : null;
		}, "two outputs");
		JsonNode expected = json(post("/generate", "{\"model\":\"console-try\",\"inputs\":[\"abc\",\"cde\"]}"));
		for (int i = 0; i < 2; i++) {
			JsonNode output = expected.get("outputs").get(i);
			assertThat(rows.get(i).getText()).contains(output.get("text").stringValue(),
					output.get("stopReason").stringValue());
		}
		browser().screenshot("model-try-it");

		// The version's facts from its manifest, and an alias moved from the page.
		browser().find("#versions button.link").click();
		String facts = browser().waitFor((driver) -> {
			String text = browser().find("#version-details").getText();
			return text.contains("Weights from epoch") ? text : null;
		}, "the version's details");
		assertThat(facts).contains("125 pairs", "sha256");
		enterKey(API_KEY);
		browser().find("#alias-name").sendKeys("production");
		browser().find("#alias-name").submit();
		browser().waitFor(
				(driver) -> browser().find("#versions tbody tr").getText().contains("production") ? true : null,
				"the alias in the versions table");
		assertThat(json(get("/models/console-try")).at("/aliases/production").intValue()).isEqualTo(1);
	}

	@Test
	void atAPhoneWidthNothingNeedsScrollingSideways() throws Exception {
		JsonNode first = train("console-phone", 3);
		JsonNode second = train("console-phone", 3);
		String jobs = first.get("id").stringValue() + "," + second.get("id").stringValue();
		try (ConsoleBrowser phone = new ConsoleBrowser(this.port, 390, 844)) {
			// Each page with an element only it has, so the one before is not measured.
			Map<String, String> pages = Map.of("#/jobs", "#jobs tbody tr", "#/train", "#train-form", "#/models",
					"#models", "#/models/console-phone", "#versions", "#/jobs/" + first.get("id").stringValue(),
					"#chart-loss .uplot", "#/compare?ids=" + jobs, "#compare-loss .uplot");
			for (Map.Entry<String, String> page : pages.entrySet()) {
				phone.open(page.getKey());
				phone.find(page.getValue());
				if (page.getKey().equals("#/models/console-phone")) {
					phone.find("#versions button.link").click();
					phone.waitFor((driver) -> phone.find("#version-details").getText().contains("sha256") ? true : null,
							"the version's details");
				}
				Map<?, ?> sizes = (Map<?, ?>) phone
					.script("return { page: document.documentElement.scrollWidth," + " view: window.innerWidth }");
				assertThat(((Number) sizes.get("page")).intValue()).as(page.getKey())
					.isLessThanOrEqualTo(((Number) sizes.get("view")).intValue());
			}
			phone.screenshot("phone");
		}
	}

	@Test
	void consolePagesAllowScriptFromThisServiceOnlyAndRunUnderThatPolicy() throws Exception {
		for (String path : new String[] { "/", "/docs/", "/console/app.js" }) {
			var response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
				.hasValueSatisfying((policy) -> assertThat(policy).contains("script-src 'self';", "object-src 'none'"));
			assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
		}
		// The pages work under it: no violation was reported while they ran.
		browser().open("#/jobs");
		browser().find("#jobs");
		browser().script("window.violations = [];"
				+ "document.addEventListener('securitypolicyviolation', (event) => window.violations.push(event.violatedDirective));");
		for (String page : new String[] { "#/train", "#/models", "#/compare", "#/jobs" }) {
			browser().open(page);
			browser().find("main h2");
		}
		assertThat(browser().script("return window.violations")).asList().isEmpty();
		// And the policy holds: an inline script, as injected markup would bring, is
		// refused
		// (which also shows the listener above hears violations).
		browser().script("const inline = document.createElement('script');"
				+ "inline.textContent = 'window.injected = true';" + "document.body.append(inline);");
		browser().waitFor((driver) -> ((List<?>) browser().script("return window.violations")).isEmpty() ? null : true,
				"the refused inline script to be reported");
		assertThat(browser().script("return window.injected === true")).isEqualTo(false);
	}

	@Test
	void swaggerUiShowsTheServedContract() {
		browser().open("docs");
		browser().waitFor((driver) -> browser().findAll(".opblock").size() > 10 ? true : null, "the operations");
		// Nothing was refused by the page's Content-Security-Policy (Chromium logs it if
		// so).
		assertThat(browser().driver().manage().logs().get("browser").getAll())
			.noneSatisfy((entry) -> assertThat(entry.getMessage()).contains("Content Security Policy"));
		assertThat(browser().find(".info .title").getText()).contains("Elman");
		assertThat(browser().find("#swagger-ui").getText()).contains("/generate", "/train");
	}

	private static String blankToNull(String text) {
		return text.isBlank() ? null : text;
	}

}

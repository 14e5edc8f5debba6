package dev.elman;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console against a service with API keys off (the embedded default): no key is asked
 * for, a job starts from the form and the jobs list shows it succeeded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleWithoutKeysTests {

	private static final Path dataDir = TestFolders.temporary("console-open");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
	}

	@LocalServerPort
	private int port;

	@Test
	void aJobStartsFromTheFormWithoutAKeyAndTheListShowsItSucceed() throws Exception {
		Path corpus = Files.createTempFile("console-open", ".tsv");
		Files.writeString(corpus, "abc\tcba\nbca\tacb\ncab\tbac\nabd\tdba\n");
		try (ConsoleBrowser browser = new ConsoleBrowser(this.port, 1280, 1000)) {
			browser.open("#/train");
			browser.find("#field-name").sendKeys("open-console");
			browser.find("#field-corpus").sendKeys(corpus.toAbsolutePath().toString());
			browser.find("#field-epochs").sendKeys("5");
			browser.find("#train-submit").click();
			browser.waitFor((driver) -> driver.getCurrentUrl().contains("#/jobs/"), "the job's page");
			browser.waitFor((driver) -> "true".equals(browser.find("#job-summary").getDomAttribute("data-ended")),
					"the job's end");
			assertThat(browser.find("#job-summary").getDomAttribute("data-state")).isEqualTo("SUCCEEDED");
			assertThat(browser.points("chart-loss")).isEqualTo(5);
			browser.open("#/jobs");
			String state = browser.waitFor((driver) -> {
				var rows = browser.findAll("#jobs tbody tr");
				return rows.isEmpty() ? null : rows.get(0).getDomAttribute("data-state");
			}, "the job in the list");
			assertThat(state).isEqualTo("SUCCEEDED");
			assertThat(browser.find("#jobs tbody tr").getText()).contains("open-console", "done, version 1");
		}
	}

}

package dev.elman;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (given by path, so
 * Selenium Manager never looks for one to download), pointed at the console of a service
 * on a local port. Screenshots go to {@code target/console-screenshots}.
 */
final class ConsoleBrowser implements AutoCloseable {

	static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	private final ChromeDriver driver;

	private final int port;

	ConsoleBrowser(int port, int width, int height) {
		String chromium = System.getProperty("elman.test.chromium", "/usr/bin/chromium");
		String chromedriver = System.getProperty("elman.test.chromedriver", "/usr/bin/chromedriver");
		if (!new File(chromium).canExecute() || !new File(chromedriver).canExecute()) {
			throw new IllegalStateException("The console's browser tests need Chromium and its driver at " + chromium
					+ " and " + chromedriver + " (Debian: apt-get install chromium chromium-driver; .ci/run does)");
		}
		ChromeOptions options = new ChromeOptions().setBinary(chromium)
			.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
					"--window-size=" + width + "," + height);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().window().setSize(new Dimension(width, height));
		this.port = port;
	}

	ConsoleBrowser open(String fragment) {
		this.driver.get("http://localhost:" + this.port + "/" + fragment);
		return this;
	}

	WebDriver driver() {
		return this.driver;
	}

	WebElement find(String css) {
		return waitFor((driver) -> {
			List<WebElement> found = driver.findElements(By.cssSelector(css));
			return found.isEmpty() ? null : found.get(0);
		}, "an element " + css);
	}

	List<WebElement> findAll(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/**
	 * The number of points a chart draws now, read from the uPlot instance's own data
	 * (every non-null value of every series but the x values and a reference line).
	 */
	int points(String chartId) {
		find("#" + chartId);
		Object count = script("const plot = document.getElementById(arguments[0]).uplot;" + "if (!plot) { return 0; }"
				+ "let points = 0;" + "plot.series.forEach((series, index) => {"
				+ "  if (index > 0 && !series.label.startsWith('σ = 1') && !series.label.startsWith('clip threshold')) {"
				+ "    points += plot.data[index].filter((value) => value != null).length;" + "  }" + "});"
				+ "return points;", chartId);
		return ((Number) count).intValue();
	}

	/**
	 * The labels of a chart's plotted series (the x values left out), from uPlot itself.
	 */
	List<String> seriesLabels(String chartId) {
		find("#" + chartId);
		@SuppressWarnings("unchecked")
		List<String> labels = (List<String>) script("const plot = document.getElementById(arguments[0]).uplot;"
				+ "return plot ? plot.series.slice(1).map((series) => series.label) : [];", chartId);
		return labels;
	}

	<T> T waitFor(Function<WebDriver, T> condition, String what) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(90)).withMessage("waiting for " + what)
			.pollingEvery(Duration.ofMillis(100))
			// A page that re-renders replaces the element being read: look again.
			.ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	void screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		File shot = this.driver.getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}

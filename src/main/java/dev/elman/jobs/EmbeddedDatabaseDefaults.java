package dev.elman.jobs;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Without {@code spring.datasource.url}, jobs go to an H2 database file under
 * {@code elman.data-dir}, so the service runs with no database server. H2 refuses paths
 * relative to the working directory, hence the absolute path computed here.
 */
class EmbeddedDatabaseDefaults implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("spring.datasource.url")) {
			return;
		}
		Path folder = Path.of(environment.getProperty("elman.data-dir", "data")).toAbsolutePath().normalize();
		String url = "jdbc:h2:file:" + folder.resolve("db").resolve("elman") + ";DB_CLOSE_ON_EXIT=FALSE";
		environment.getPropertySources()
			.addLast(new MapPropertySource("elmanEmbeddedDatabase", Map.of("spring.datasource.url", url,
					"spring.datasource.username", "sa", "spring.datasource.password", "")));
	}

	@Override
	public int getOrder() {
		// After the configuration files are read, so elman.data-dir from them counts.
		return Ordered.LOWEST_PRECEDENCE;
	}

}

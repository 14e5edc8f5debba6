package dev.elman.testdb;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * On a PostgreSQL run ({@link TestDatabase#onPostgres()}), points every Spring test
 * context at a fresh database of its own, as the H2 file under each test's own data
 * folder does on an H2 run. Registered in {@code META-INF/spring.factories}.
 */
class PostgresContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestDatabase.onPostgres() ? new FreshPostgresDatabase() : null;
	}

	/** Equal to every other: it changes no context's identity in Spring's test cache. */
	private record FreshPostgresDatabase() implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			PostgresServer.Database database = PostgresServer.shared().newDatabase();
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("testPostgresDatabase",
						Map.of("spring.datasource.url", database.url(), "spring.datasource.username", database.user(),
								"spring.datasource.password", database.password())));
		}

	}

}

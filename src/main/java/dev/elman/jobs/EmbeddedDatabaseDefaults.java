package dev.elman.jobs;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.core.env.Environment;

/**
 * Without {@code spring.datasource.url}, jobs go to an H2 database file under
 * {@code elman.data-dir}, so the service runs with no database server. H2 refuses paths
 * relative to the working directory, hence the absolute path; it is set on the data
 * source settings just before the data source is made, when every property source is in
 * place. A pool of connections to an H2 database also drops the connections of a database
 * that closed itself ({@link ClosedH2DatabaseEviction}), so a full disk, once freed,
 * needs no restart.
 */
class EmbeddedDatabaseDefaults implements BeanPostProcessor {

	private final Environment environment;

	EmbeddedDatabaseDefaults(Environment environment) {
		this.environment = environment;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DataSourceProperties properties && properties.getUrl() == null) {
			Path dataDir = Binder.get(this.environment)
				.bind("elman.data-dir", Path.class)
				.orElse(Path.of("data"))
				.toAbsolutePath()
				.normalize();
			properties.setUrl("jdbc:h2:file:" + dataDir.resolve("db").resolve("elman") + ";DB_CLOSE_ON_EXIT=FALSE");
			properties.setUsername("sa");
			properties.setPassword("");
		}
		if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null
				&& pool.getJdbcUrl().startsWith("jdbc:h2:") && pool.getExceptionOverride() == null
				&& pool.getExceptionOverrideClassName() == null) {
			pool.setExceptionOverride(new ClosedH2DatabaseEviction());
		}
		return bean;
	}

}

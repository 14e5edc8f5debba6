package dev.elman.testdb;

import java.util.UUID;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database the tests that touch one run on: H2, as the embedded default, unless the
 * system property {@value #PROPERTY} is {@code postgresql}; then each Spring context and
 * each {@link #migrated()} call gets a database of its own in one PostgreSQL container
 * ({@link PostgresServer}). The build runs the database tests both ways.
 */
public final class TestDatabase {

	/** {@code h2} (the default) or {@code postgresql}. */
	public static final String PROPERTY = "elman.test.database";

	private TestDatabase() {
	}

	/** Whether the tests run on PostgreSQL. */
	public static boolean onPostgres() {
		String database = System.getProperty(PROPERTY, "h2");
		return switch (database) {
			case "h2" -> false;
			case "postgresql" -> true;
			default -> throw new IllegalStateException(PROPERTY + " is h2 or postgresql, not " + database);
		};
	}

	/** A new, empty database with the service's migrations applied. */
	public static DataSource migrated() {
		DataSource dataSource;
		String vendor;
		if (onPostgres()) {
			PostgresServer.Database database = PostgresServer.shared().newDatabase();
			PGSimpleDataSource postgres = new PGSimpleDataSource();
			postgres.setURL(database.url());
			postgres.setUser(database.user());
			postgres.setPassword(database.password());
			dataSource = postgres;
			vendor = "postgresql";
		}
		else {
			JdbcDataSource h2 = new JdbcDataSource();
			h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
			dataSource = h2;
			vendor = "h2";
		}
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + vendor).load().migrate();
		return dataSource;
	}

}

package dev.elman.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One PostgreSQL container for a test JVM, started at first use and stopped when the JVM
 * exits (Ryuk, Testcontainers' reaper, cannot be pulled here). The image is the one
 * {@code scripts/build-postgres-image.sh} builds from Debian's packages, named by the
 * system property {@code elman.test.postgres-image}; it stands in for the official
 * postgres image.
 */
public final class PostgresServer {

	private static PostgresServer shared;

	private final PostgreSQLContainer container;

	private PostgresServer(PostgreSQLContainer container) {
		this.container = container;
	}

	/** The JVM's server, started on first use. */
	public static synchronized PostgresServer shared() {
		if (shared == null) {
			shared = start();
			Runtime.getRuntime().addShutdownHook(new Thread(shared.container::stop, "postgres-test-server-stop"));
		}
		return shared;
	}

	/** A server of its own, for a test that stops or kills it. */
	public static PostgresServer start() {
		DockerImageName image = DockerImageName
			.parse(System.getProperty("elman.test.postgres-image", "elman-postgres:bookworm"))
			.asCompatibleSubstituteFor("postgres");
		PostgreSQLContainer container = new PostgreSQLContainer(image);
		container.start();
		return new PostgresServer(container);
	}

	/** Creates a new, empty database that the server's user owns. */
	public Database newDatabase() {
		String name = "elman_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection connection = DriverManager.getConnection(this.container.getJdbcUrl(),
				this.container.getUsername(), this.container.getPassword());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create a test database", ex);
		}
		return new Database(url(name), this.container.getUsername(), this.container.getPassword());
	}

	/** The JDBC URL of a database on this server. */
	public String url(String database) {
		return "jdbc:postgresql://" + this.container.getHost() + ":"
				+ this.container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + database;
	}

	/** Stops the server; its databases are gone. */
	public void stop() {
		this.container.stop();
	}

	/**
	 * Where a database is and how to log in.
	 *
	 * @param url its JDBC URL
	 * @param user the user
	 * @param password the password
	 */
	public record Database(String url, String user, String password) {
	}

}

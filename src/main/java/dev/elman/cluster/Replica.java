package dev.elman.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * This process among the replicas that share one database and registry: the id it goes by
 * in {@code /actuator/info} and health, as the {@code replica} tag of every metric, as
 * the db-scheduler name that picks jobs, and in a job's {@code replica}.
 *
 * @param id {@code elman.instance-id}, or the host's name and the process id
 */
public record Replica(String id) {

	/** Short enough for a metric tag and a column, and plain enough for either. */
	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	public Replica {
		if (id == null || !VALID.matcher(id).matches()) {
			throw new InvalidInstanceIdException("elman.instance-id must be 1 to 64 letters, digits, '.', '_' or '-', "
					+ "starting with a letter or digit; it was '" + id + "'");
		}
	}

	/**
	 * The replica's id.
	 * @param configured {@code elman.instance-id}, or null or blank for the default
	 * @return the replica
	 */
	static Replica of(String configured) {
		if (configured != null && !configured.isBlank()) {
			return new Replica(configured.strip());
		}
		// In a container the host name is the container's (the process is always 1);
		// replicas sharing a host differ by process id.
		String host = hostName().replaceAll("[^A-Za-z0-9._-]", "-");
		String id = host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
		return new Replica((id.length() > 64) ? id.substring(id.length() - 64).replaceFirst("^[._-]+", "") : id);
	}

	private static String hostName() {
		String fromEnvironment = System.getenv("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}

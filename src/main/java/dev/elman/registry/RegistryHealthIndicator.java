package dev.elman.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.elman.storage.FileProblems;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * Whether the registry can take new versions: its folder writable and enough free disk
 * under it. Corrupt versions are counted but leave it UP, because every other version is
 * still served; they are listed by {@code GET /models}.
 */
class RegistryHealthIndicator extends AbstractHealthIndicator {

	private final ModelRegistry registry;

	private final DataSize minFreeSpace;

	RegistryHealthIndicator(ModelRegistry registry, DataSize minFreeSpace) {
		super("The model registry check failed");
		this.registry = registry;
		this.minFreeSpace = minFreeSpace;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Path root = this.registry.root();
		boolean writable = Files.isDirectory(root) && Files.isWritable(root);
		long free;
		try {
			free = Files.getFileStore(root).getUsableSpace();
		}
		catch (IOException ex) {
			// Not Boot's default, which would show the exception and its path to anyone.
			builder.down()
				.withDetail("error",
						"The free disk under the registry cannot be read (" + FileProblems.describe(ex) + ")");
			return;
		}
		RegistrySize size = RegistrySize.of(this.registry.models());
		boolean enoughSpace = free >= this.minFreeSpace.toBytes();
		builder.status((writable && enoughSpace) ? Status.UP : Status.DOWN)
			.withDetail("writable", writable)
			.withDetail("freeBytes", free)
			.withDetail("minFreeBytes", this.minFreeSpace.toBytes())
			.withDetail("models", size.models())
			.withDetail("versions", size.versions())
			.withDetail("corruptVersions", size.corruptVersions())
			.withDetail("unreadableModels", this.registry.unreadableModels());
		if (!writable) {
			builder.withDetail("error", "The registry folder cannot be written");
		}
		else if (!enoughSpace) {
			builder.withDetail("error", "Less free disk than " + this.minFreeSpace + " under the registry");
		}
	}

}

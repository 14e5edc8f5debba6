package dev.elman.registry;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where models are kept and how many stay loaded.
 *
 * @param root the registry folder; empty means {@code models/} inside
 * {@code elman.data-dir}. Several replicas may share one.
 * @param scanInterval how often the folder is read again to see versions that other
 * processes published, copied in or deleted
 * @param cacheSize the most models kept loaded at once; the least recently used is
 * unloaded first
 * @param staleStagingAge staging folders older than this at startup were left by a
 * publisher that died, and are removed
 * @param minFreeSpace the registry's health is DOWN when the disk under it has less free
 * space than this, before a publication or checkpoint fails for want of it
 */
@Validated
@ConfigurationProperties("elman.registry")
public record RegistryProperties(Path root, @NotNull @DefaultValue("2s") Duration scanInterval,
		@Min(1) @Max(1000) @DefaultValue("8") int cacheSize, @NotNull @DefaultValue("10m") Duration staleStagingAge,
		@NotNull @DefaultValue("100MB") DataSize minFreeSpace) {

	Path rootIn(Path dataDir) {
		return (this.root != null && !this.root.toString().isEmpty()) ? this.root : dataDir.resolve("models");
	}

}

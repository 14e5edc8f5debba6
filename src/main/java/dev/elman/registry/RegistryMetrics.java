package dev.elman.registry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The registry's size and the models loaded, read at scrape time.
 */
class RegistryMetrics implements MeterBinder {

	private final ModelRegistry registry;

	private final ModelCache cache;

	RegistryMetrics(ModelRegistry registry, ModelCache cache) {
		this.registry = registry;
		this.cache = cache;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		Gauge.builder("elman.registry.models", this.registry, (registry) -> registry.models().size())
			.description("Models in the registry")
			.register(meters);
		Gauge.builder("elman.registry.versions", this.registry, (registry) -> size(registry).readyVersions())
			.description("Model versions in the registry, by whether they can be served")
			.tag("status", VersionStatus.READY.id())
			.register(meters);
		Gauge.builder("elman.registry.versions", this.registry, (registry) -> size(registry).corruptVersions())
			.description("Model versions in the registry, by whether they can be served")
			.tag("status", VersionStatus.CORRUPT.id())
			.register(meters);
		Gauge.builder("elman.models.loaded", this.cache, ModelCache::size)
			.description("Model versions loaded for generation")
			.register(meters);
		FunctionCounter.builder("elman.models.loads", this.cache, ModelCache::loads)
			.description("Model versions loaded from disk since the start (a high rate means the cache is too small)")
			.register(meters);
	}

	private static RegistrySize size(ModelRegistry registry) {
		return RegistrySize.of(registry.models());
	}

}

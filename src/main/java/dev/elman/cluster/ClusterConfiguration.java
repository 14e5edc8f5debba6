package dev.elman.cluster;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which replica answers: its id under {@code /actuator/info} and
 * {@code /actuator/health}, and as a tag on every metric (one value per process, so
 * series stay bounded; Prometheus keeps its own {@code instance} label, the scraped
 * address, beside it).
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

	@Bean
	Replica replica(@Value("${elman.instance-id:}") String instanceId) {
		return Replica.of(instanceId);
	}

	@Bean
	InfoContributor replicaInfoContributor(Replica replica) {
		return (builder) -> builder.withDetail("replica", Map.of("id", replica.id()));
	}

	@Bean
	HealthIndicator replicaHealthIndicator(Replica replica) {
		Health health = Health.up().withDetail("id", replica.id()).build();
		return () -> health;
	}

	@Bean
	MeterRegistryCustomizer<MeterRegistry> replicaTag(Replica replica) {
		return (registry) -> registry.config().commonTags("replica", replica.id());
	}

}

package dev.elman.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the service stops.
 *
 * @param drainDelay how long the service keeps taking requests after readiness goes DOWN
 * on SIGTERM, so load balancers that poll readiness stop routing to it before it stops
 * listening; 0 stops at once (requests in flight still finish, up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase})
 */
@Validated
@ConfigurationProperties("elman.shutdown")
public record ShutdownProperties(@NotNull @DefaultValue("0s") Duration drainDelay) {

}

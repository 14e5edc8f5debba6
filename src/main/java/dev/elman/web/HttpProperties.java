package dev.elman.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a request may send.
 *
 * @param maxBodySize the largest request body on any path that declares no larger limit
 * of its own (only {@code POST /train} does, for its corpus), whatever the content type
 * and whether or not the length is declared; beyond it the answer is 413
 * @param bodyReadTimeout how long a request body may take to arrive; a slower one is cut
 * off with 408, so that a client trickling its body cannot hold a place for ever
 */
@Validated
@ConfigurationProperties("elman.http")
public record HttpProperties(@NotNull @DefaultValue("1MB") DataSize maxBodySize,
		@NotNull @DefaultValue("2m") Duration bodyReadTimeout) {

}

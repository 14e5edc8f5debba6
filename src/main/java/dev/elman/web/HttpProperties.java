package dev.elman.web;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a request may send.
 *
 * @param maxBodySize the largest request body on any path that declares no larger limit
 * of its own (only {@code POST /train} does, for its corpus), whatever the content type
 * and whether or not the length is declared; beyond it the answer is 413
 */
@Validated
@ConfigurationProperties("elman.http")
public record HttpProperties(@NotNull @DefaultValue("1MB") DataSize maxBodySize) {

}

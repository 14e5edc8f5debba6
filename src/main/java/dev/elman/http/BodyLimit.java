package dev.elman.http;

import org.springframework.util.unit.DataSize;

/**
 * The largest request body one path accepts, for paths that take more than the service's
 * default ({@code elman.http.max-body-size}). A feature declares one as a bean.
 *
 * @param path the exact request path, for example {@code /train}
 * @param max the most bytes its body may have, whatever its content type
 */
public record BodyLimit(String path, DataSize max) {

}

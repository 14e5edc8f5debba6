package dev.elman.engine;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how the models compute.
 *
 * @param device {@code auto} (a GPU if PyTorch sees one, else the CPU), {@code cpu},
 * {@code gpu} or {@code gpu:N}; asking for a GPU that is absent stops the service at
 * startup
 * @param intraOpThreads threads PyTorch uses inside one operation; 1 is fastest for the
 * small matrices of these models on a small machine, more helps large hidden sizes on
 * many cores
 * @param interOpThreads threads PyTorch uses to run independent operations in parallel
 * @param dataDir the folder for everything the service writes (models, jobs, the native
 * library cache)
 */
@Validated
@ConfigurationProperties("elman")
public record EngineProperties(@NotNull @DefaultValue("cpu") DeviceSetting device,
		@Min(1) @Max(256) @DefaultValue("1") int intraOpThreads,
		@Min(1) @Max(256) @DefaultValue("1") int interOpThreads, @NotNull @DefaultValue("data") Path dataDir) {

}

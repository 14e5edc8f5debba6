package dev.elman;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Elman: trains and serves vanilla-RNN sequence-to-sequence models.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ElmanApplication {

	public static void main(String[] args) {
		SpringApplication.run(ElmanApplication.class, args);
	}

}

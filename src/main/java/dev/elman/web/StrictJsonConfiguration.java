package dev.elman.web;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies are read as the contract types them: no value changes type on the way in
 * ({@code "name": 5} is not the name "5", {@code "keepPadding": 1} is not true), and a
 * field given twice is an error, not a silent choice of the last one. Together with
 * {@code spring.jackson} in application.yml (unknown fields, fractions for integers and
 * strings for numbers are refused).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

	@Bean
	JsonMapperBuilderCustomizer strictJson() {
		return (builder) -> {
			builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
			builder.withCoercionConfig(LogicalType.Textual, (config) -> {
				config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
				config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
				config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
			});
			builder.withCoercionConfig(LogicalType.Boolean, (config) -> {
				config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
				config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
				config.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
			});
			builder.withCoercionConfig(LogicalType.Integer, (config) -> {
				config.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
				config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
				config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
			});
			builder.withCoercionConfig(LogicalType.Float, (config) -> {
				config.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
				config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
			});
		};
	}

}

package dev.elman.registry;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.elman.TestFolders;
import dev.elman.TestModels;
import dev.elman.engine.ComputeEngine;
import dev.elman.http.ProblemTypes;
import dev.elman.model.Seq2SeqModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(RegistryController.class)
@Import(RegistryControllerTests.RealRegistry.class)
class RegistryControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private ModelRegistry registry;

	static class RealRegistry {

		@Bean(destroyMethod = "close")
		ModelRegistry modelRegistry() {
			return new ModelRegistry(TestFolders.temporary("registry-controller"), Clock.systemUTC());
		}

	}

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@BeforeEach
	void twoVersions() throws Exception {
		for (ModelInfo model : this.registry.models()) {
			for (String alias : model.aliases().keySet()) {
				this.registry.deleteAlias(model.name(), alias);
			}
		}
		FileSystemUtils.deleteRecursively(this.registry.root().resolve("adder"));
		FileSystemUtils.deleteRecursively(this.registry.root().resolve("broken"));
		try (Seq2SeqModel model = TestModels.untrained(3)) {
			this.registry.publish("adder", model, Map.of("job", "j-7"));
			this.registry.publish("adder", model, Map.of());
		}
	}

	@Test
	void listsModelsWithTheirVersionsAliasesAndLatest() {
		MvcTestResult result = this.mvc.get().uri("/models").exchange();
		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().extractingPath("$[0].name").isEqualTo("adder");
		assertThat(result).bodyJson().extractingPath("$[0].versions.length()").isEqualTo(2);
		assertThat(result).bodyJson().extractingPath("$[0].versions[0].status").isEqualTo("ready");
		assertThat(this.mvc.get().uri("/models/adder").exchange()).bodyJson().extractingPath("$.latest").isEqualTo(2);
	}

	@Test
	void showsAVersionsManifest() {
		MvcTestResult result = this.mvc.get().uri("/models/adder/versions/1").exchange();
		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().extractingPath("$.version").isEqualTo(1);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("ready");
		assertThat(result).bodyJson().extractingPath("$.manifest.spec.hiddenSize").isEqualTo(16);
		assertThat(result).bodyJson().extractingPath("$.manifest.metadata.job").isEqualTo("j-7");
		assertThat(result).bodyJson()
			.extractingPath("$.manifest.vocabulary")
			.asArray()
			.containsExactly("a", "b", "c", "d", "e");
	}

	@Test
	void unknownModelsAndVersionsAreNotFound() {
		assertNotFound(this.mvc.get().uri("/models/nothing").exchange(), "There is no model named 'nothing'.");
		assertNotFound(this.mvc.get().uri("/models/adder/versions/9").exchange(), "Model 'adder' has no version 9.");
		assertNotFound(this.mvc.delete().uri("/models/adder/versions/9").exchange(), "Model 'adder' has no version 9.");
		assertNotFound(this.mvc.delete().uri("/models/adder/aliases/prod").exchange(),
				"Model 'adder' has no alias 'prod'.");
	}

	@Test
	void aVersionThatIsNotANumberFromOneIsABadRequest() {
		// Spring's conversion would read 0xA as 10 and +1 or 01 as 1: a DELETE must not
		// act on a version nobody named.
		for (String version : List.of("two", "0", "-1", "0xA", "%23a", "+1", "01", "1.0", "2147483648")) {
			for (MvcTestResult result : List.of(this.mvc.get().uri("/models/adder/versions/" + version).exchange(),
					this.mvc.delete().uri("/models/adder/versions/" + version).exchange())) {
				assertThat(result).as(version).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
				assertThat(result).bodyJson().extractingPath("$.errors").asMap().containsKey("version");
			}
		}
	}

	@Test
	void aModelNameWithPathTricksIsABadRequest() {
		MvcTestResult result = this.mvc.get().uri("/models/{name}", "..").exchange();
		assertThat(result.getResponse().getStatus()).isIn(400, 404);
		MvcTestResult upper = this.mvc.get().uri("/models/Adder").exchange();
		assertThat(upper).hasStatus(400);
		assertThat(upper).bodyJson().extractingPath("$.errors.name").asString().contains("a model name is");
	}

	@Test
	void deletesAVersionUnlessAnAliasPointsAtIt() {
		MvcTestResult set = put("/models/adder/aliases/production", "{\"version\":2}");
		assertThat(set).hasStatusOk();
		assertThat(set).bodyJson().isLenientlyEqualTo("{\"model\":\"adder\",\"alias\":\"production\",\"version\":2}");
		MvcTestResult refused = this.mvc.delete().uri("/models/adder/versions/2").exchange();
		assertThat(refused).hasStatus(409).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.ALIAS_IN_USE.toString());
		assertThat(this.mvc.delete().uri("/models/adder/aliases/production").exchange()).hasStatus(204);
		assertThat(this.mvc.delete().uri("/models/adder/versions/2").exchange()).hasStatus(204);
		assertNotFound(this.mvc.get().uri("/models/adder/versions/2").exchange(), "Model 'adder' has no version 2.");
	}

	@Test
	void movesAnAlias() {
		assertThat(put("/models/adder/aliases/production", "{\"version\":1}")).hasStatusOk();
		assertThat(put("/models/adder/aliases/production", "{\"version\":2}")).hasStatusOk();
		assertThat(this.mvc.get().uri("/models/adder").exchange()).bodyJson()
			.extractingPath("$.aliases.production")
			.isEqualTo(2);
	}

	@Test
	void refusesAliasesThatCannotWork() {
		assertNotFound(put("/models/adder/aliases/production", "{\"version\":7}"), "Model 'adder' has no version 7.");
		MvcTestResult latest = put("/models/adder/aliases/latest", "{\"version\":1}");
		assertThat(latest).hasStatus(400);
		assertThat(latest).bodyJson().extractingPath("$.detail").asString().contains("'latest' always means");
		MvcTestResult missing = put("/models/adder/aliases/production", "{}");
		assertThat(missing).hasStatus(400);
		assertThat(missing).bodyJson().extractingPath("$.errors.version").isEqualTo("version must not be null");
		MvcTestResult zero = put("/models/adder/aliases/production", "{\"version\":0}");
		assertThat(zero).hasStatus(400);
	}

	@Test
	void aCorruptVersionIsListedAsSuchAndCannotBeAliased() throws Exception {
		try (Seq2SeqModel model = TestModels.untrained(4)) {
			this.registry.publish("broken", model, Map.of());
		}
		ModelRegistryTests.flipAByte(this.registry.root().resolve("broken/1/parameters.params"));
		this.registry.scan();
		MvcTestResult shown = this.mvc.get().uri("/models/broken/versions/1").exchange();
		assertThat(shown).hasStatusOk();
		assertThat(shown).bodyJson().extractingPath("$.status").isEqualTo("corrupt");
		assertThat(shown).bodyJson()
			.extractingPath("$.problem")
			.isEqualTo("parameters.params does not match its checksum");
		MvcTestResult alias = put("/models/broken/aliases/production", "{\"version\":1}");
		assertThat(alias).hasStatus(409);
		assertThat(alias).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.VERSION_CORRUPT.toString());
	}

	private MvcTestResult put(String path, String json) {
		return this.mvc.put().uri(path).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
	}

	private static void assertNotFound(MvcTestResult result, String detail) {
		assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(ProblemTypes.MODEL_NOT_FOUND.toString());
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo(detail);
	}

}

package dev.elman.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of requests for every operation of the contract: its paths with generated
 * parameters, documented and undocumented methods, many content types, bodies made of the
 * contract's field names with values of every JSON type (lone surrogates, fractions, huge
 * numbers, deep nesting), broken JSON, raw bytes and multipart, and odd headers.
 */
final class FuzzRequests {

	private static final Pattern PARAMETER = Pattern.compile("\\{[^}]+}");

	/** Field names of every request body in the contract, and some that are not. */
	private static final List<String> FIELDS = List.of("name", "pairs", "source", "target", "text", "format",
			"delimiter", "keepPadding", "tokenization", "embeddingSize", "hiddenSize", "layers", "cell",
			"weightSharing", "reverseSource", "epochs", "batchSize", "batchTokens", "learningRate",
			"learningRateSchedule", "warmupSteps", "learningRateFloor", "clipNorm", "bpttWindow", "validationFraction",
			"seed", "earlyStoppingPatience", "maxVocabularySize", "keepBestWeights", "recurrentInitialization", "model",
			"version", "alias", "inputs", "maxLength", "__proto__", "", "Name", "extra");

	private static final List<String> CONTENT_TYPES = java.util.Arrays.asList("application/json",
			"application/json; charset=utf-8", "application/json; charset=utf-16", "application/json;charset=latin1",
			"application/vnd.x+json", "application/problem+json", "text/plain", "application/x-www-form-urlencoded",
			"multipart/form-data", "multipart/form-data; boundary=fuzzboundary", "application/octet-stream",
			"text/event-stream", "garbage", "application/json; boundary=", null);

	private static final String BOUNDARY = "fuzzboundary";

	private FuzzRequests() {
	}

	static Arbitrary<FuzzRequest> requests(OpenAPI api) {
		List<String[]> operations = new ArrayList<>();
		api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet().forEach((method) -> {
			operations.add(new String[] { method.name(), path });
		}));
		Arbitrary<String[]> operation = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.of(operations)),
				net.jqwik.api.Tuple.of(1,
						Combinators.combine(Arbitraries.of(operations), Arbitraries.of(PathItem.HttpMethod.values()))
							.as((known, method) -> new String[] { method.name(), known[1] })));
		return operation.flatMap((op) -> Combinators
			.combine(pathParameters(), query(), contentType(), body(op[1]), Arbitraries.of(true, false), headers())
			.as((parameters, query, type, body, chunked, headers) -> new FuzzRequest(op[0],
					fill(op[1], parameters) + (op[1].equals("/jobs") ? query : ""), type, body, chunked && body != null,
					headers)));
	}

	private static String fill(String template, List<String> values) {
		Matcher matcher = PARAMETER.matcher(template);
		StringBuilder path = new StringBuilder();
		int next = 0;
		while (matcher.find()) {
			matcher.appendReplacement(path, Matcher.quoteReplacement(values.get(next++ % values.size())));
		}
		matcher.appendTail(path);
		return path.toString();
	}

	private static Arbitrary<List<String>> pathParameters() {
		return segment().list().ofMinSize(3).ofMaxSize(3);
	}

	/** Path segments, already valid in a URI: names, numbers and tricks. */
	static Arbitrary<String> segment() {
		return Arbitraries.oneOf(
				Arbitraries.of("fuzz", "adder", "a", "latest", "production", "1", "0", "-1", "2", "2147483648",
						"99999999999", "1.5", "1e3", "abc", "..", ".", "%2e%2e", "..%2f", "%2F", "%00", "a;b=c", "~",
						"%C0%AE", "%E2%82%AC", "%20", "+", "Fuzz", "f%C3%BCzz", "x".repeat(300),
						"00000000-0000-0000-0000-000000000000", "a..b", "-a", "_a", "a.b"),
				Arbitraries.strings()
					.withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
					.ofMinLength(1)
					.ofMaxLength(70),
				Arbitraries.integers().between(-3, 20).map(Object::toString));
	}

	private static Arbitrary<String> query() {
		Arbitrary<String> state = Arbitraries.of("QUEUED", "RUNNING", "SUCCEEDED", "queued", "SLEEPING", "", "%00");
		Arbitrary<String> number = Arbitraries.of("0", "1", "-1", "20", "100", "101", "99999999999", "x", "1.5", "");
		return Combinators.combine(state, number, number, segment(), Arbitraries.integers().between(0, 15))
			.as((s, page, size, model, mask) -> {
				List<String> parts = new ArrayList<>();
				if ((mask & 1) != 0) {
					parts.add("state=" + s);
				}
				if ((mask & 2) != 0) {
					parts.add("page=" + page);
				}
				if ((mask & 4) != 0) {
					parts.add("size=" + size);
				}
				if ((mask & 8) != 0) {
					parts.add("model=" + model);
				}
				return parts.isEmpty() ? "" : "?" + String.join("&", parts);
			});
	}

	private static Arbitrary<String> contentType() {
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just("application/json")),
				net.jqwik.api.Tuple.of(4, Arbitraries.of(CONTENT_TYPES)));
	}

	/**
	 * Valid bodies of the operation with one or two fields changed, removed or added, so
	 * that requests get past the first check and reach the deeper ones.
	 */
	private static Arbitrary<Map<String, Object>> nearlyValid(String path) {
		List<Map<String, Object>> templates = switch (path) {
			case "/train" -> List.of(
					Map.of("name", "fuzz", "pairs",
							List.of(Map.of("source", "abc", "target", "cba"), Map.of("source", "bca", "target", "acb")),
							"epochs", 1),
					Map.of("name", "fuzz", "text", "abc\tcba\nbca\tacb\n", "format", "tsv", "epochs", 1),
					Map.of("name", "fuzz", "text", "ab_ba\ncd_dc\n", "format", "delimited", "delimiter", "_", "epochs",
							1, "hiddenSize", 8));
			case "/generate" -> List.of(Map.of("model", "fuzz", "inputs", List.of("abc", "cab"), "maxLength", 5),
					Map.of("model", "fuzz", "alias", "production", "inputs", List.of("a")),
					Map.of("model", "fuzz", "version", 1, "inputs", List.of("e")));
			default -> List.of(Map.of("version", 1));
		};
		return Combinators
			.combine(Arbitraries.of(templates), Arbitraries.of(FIELDS), jsonValue(2),
					Arbitraries.integers().between(0, 3))
			.as((template, field, value, change) -> {
				Map<String, Object> body = new LinkedHashMap<>(template);
				switch (change) {
					case 0 -> body.put(field, value);
					case 1 -> body.remove(body.keySet().iterator().next());
					case 2 -> body.replace(field, value);
					default -> {
						// As is: a valid request.
					}
				}
				return body;
			});
	}

	private static Arbitrary<byte[]> body(String path) {
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(24, nearlyValid(path).map(FuzzRequests::bytes)),
				net.jqwik.api.Tuple.of(6, jsonObject(3).map(FuzzRequests::bytes)),
				net.jqwik.api.Tuple.of(2, jsonValue(3).map(FuzzRequests::bytes)),
				net.jqwik.api.Tuple.of(2, jsonObject(2).map(FuzzRequests::broken)),
				net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(512)),
				net.jqwik.api.Tuple.of(2, multipart()), net.jqwik.api.Tuple.of(1, deeplyNested()),
				net.jqwik.api.Tuple.of(2, Arbitraries.just(null)));
	}

	private static Arbitrary<Object> jsonValue(int depth) {
		List<Arbitrary<?>> choices = new ArrayList<>(
				List.of(text(), numbers(), Arbitraries.of(true, false), Arbitraries.just(JsonText.NULL)));
		if (depth > 0) {
			choices.add(jsonValue(depth - 1).list().ofMaxSize(4).map((list) -> (Object) list));
			choices.add(jsonObject(depth - 1).map((map) -> (Object) map));
		}
		return Arbitraries.oneOf(choices.stream().map((choice) -> choice.map((value) -> (Object) value)).toList());
	}

	private static Arbitrary<Map<String, Object>> jsonObject(int depth) {
		Arbitrary<Object> value = (depth > 0) ? jsonValue(depth - 1) : Arbitraries.oneOf(text(), numbers());
		return Arbitraries.maps(Arbitraries.of(FIELDS), value).ofMaxSize(6).map(LinkedHashMap::new);
	}

	private static Arbitrary<Object> text() {
		return Arbitraries.oneOf(
				Arbitraries
					.of("", "a", "abc", "16+75", "fuzz", "tsv", "jsonl", "delimited", "char", "word", "rnn-tanh", "gru",
							"tied", "_", "\t", "\n", "a\tb\nc\td\n", "\ud800", "x\udc00y", "\ud83d\ude00", "e\u0301",
							"\u0000", "latest", "production", "<script>", "../../etc/passwd", "%s%n")
					.map((text) -> (Object) text),
				Arbitraries.strings().ofMaxLength(40).map((text) -> (Object) text),
				Arbitraries.strings()
					.withCharRange('a', 'e')
					.ofMinLength(1)
					.ofMaxLength(6)
					.map((text) -> (Object) text));
	}

	private static Arbitrary<Object> numbers() {
		return Arbitraries.oneOf(Arbitraries.integers().between(-5, 70).map((n) -> (Object) n),
				Arbitraries.of(0, 1, 2, -1, 3, Integer.MAX_VALUE, Integer.MIN_VALUE).map((n) -> (Object) n),
				Arbitraries
					.of(JsonText.raw("5.7"), JsonText.raw("1e400"), JsonText.raw("-0"), JsonText.raw("1E2"),
							JsonText.raw("99999999999999999999"), JsonText.raw("0.0001"), JsonText.raw("-1.5e-7"))
					.map((n) -> (Object) n));
	}

	private static Arbitrary<byte[]> multipart() {
		return Combinators.combine(jsonObject(2), text(), Arbitraries.of("options", "corpus", "other", ""))
			.as((options, corpus,
					name) -> ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"options\"\r\n"
							+ "Content-Type: application/json\r\n\r\n" + JsonText.write(options) + "\r\n--" + BOUNDARY
							+ "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"c.txt\"\r\n\r\n"
							+ corpus + "\r\n--" + BOUNDARY + "--\r\n")
						.getBytes(StandardCharsets.UTF_8));
	}

	private static Arbitrary<byte[]> deeplyNested() {
		return Arbitraries.of(2_000, 50_000).map((depth) -> ("[".repeat(depth)).getBytes(StandardCharsets.UTF_8));
	}

	private static Arbitrary<Map<String, String>> headers() {
		Arbitrary<String> key = Arbitraries.of("", " ", "k-1", "x".repeat(201), "caf\u00e9", "a b", "fuzz-key");
		Arbitrary<String> id = Arbitraries.of("", "abc", "x".repeat(200), "a b", "\u00e9t\u00e9", "{}",
				"00000000-0000-0000-0000-000000000000");
		Arbitrary<String> accept = Arbitraries.of("application/json", "text/html", "application/xml", "*/*",
				"text/event-stream", "application/problem+json", "garbage/;;");
		return Combinators.combine(key, id, accept, Arbitraries.integers().between(0, 7)).as((k, i, a, mask) -> {
			Map<String, String> headers = new LinkedHashMap<>();
			if ((mask & 1) != 0) {
				headers.put("Idempotency-Key", k);
			}
			if ((mask & 2) != 0) {
				headers.put("X-Request-Id", i);
			}
			if ((mask & 4) != 0) {
				headers.put("Accept", a);
			}
			return headers;
		});
	}

	private static byte[] bytes(Object json) {
		return JsonText.write(json).getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] broken(Map<String, Object> json) {
		String text = JsonText.write(json);
		String broken = (text.length() > 2) ? text.substring(0, text.length() / 2) : text + "}}";
		return (broken + ((text.hashCode() % 2 == 0) ? "" : ",]garbage")).getBytes(StandardCharsets.UTF_8);
	}

}

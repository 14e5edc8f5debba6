package dev.elman.jobs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.elman.http.InvalidFieldException;
import dev.elman.http.PayloadTooLargeException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reads the options of an upload, given either as one {@code options} part holding JSON
 * (curl's {@code -F 'options={...}'}) or as one form field per option
 * ({@code -F name=adder
 * -F epochs=25}), which is what generated clients send. Both end as the same
 * {@link TrainRequest}, read by the same strict JSON rules, so a value is refused for the
 * same reason under the same field name whichever way it came.
 */
final class UploadOptions {

	static final String OPTIONS_PART = "options";

	static final String CORPUS_PART = "corpus";

	/** Options are a few hundred bytes; a JSON part this large is not options. */
	private static final int MAX_OPTIONS_BYTES = 1024 * 1024;

	/** No option is longer: a field beyond this is refused before it is decoded. */
	private static final int MAX_FIELD_BYTES = 4096;

	private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,10}");

	/** Bounded, so that reading one never costs more than reading any JSON number. */
	private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,30}(\\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?");

	/** The corpus comes as the file part, never as a field. */
	private static final Set<String> NOT_FIELDS = Set.of("pairs", "text");

	private final JsonMapper json;

	UploadOptions(JsonMapper json) {
		this.json = json;
	}

	TrainRequest read(MultipartHttpServletRequest request) throws IOException {
		List<Part> parts = parts(request);
		JsonPart options = jsonPart(request, parts);
		// The fields are the body's parts without a file name; query parameters, which
		// the
		// container mixes into the same map, are no options (as for a JSON body).
		Map<String, List<String>> fields = formFields(parts);
		if (options != null) {
			if (!fields.isEmpty()) {
				String field = fields.keySet().iterator().next();
				throw InvalidFieldException.withDetail(field, "Give the options either as one 'options' JSON part or"
						+ " as one form field each, not both (found '" + field + "' beside 'options').");
			}
			return fromJsonPart(options);
		}
		return fromFields(fields);
	}

	/**
	 * The corpus file part. A corpus sent as a plain field (curl's
	 * {@code -F 'corpus=<file'}, without the {@code @}) is refused with the fix: the
	 * container holds such fields in memory, decodes them leniently and limits their size
	 * far below a corpus's.
	 */
	static InputStream corpus(MultipartHttpServletRequest request) throws IOException {
		List<MultipartFile> files = request.getFiles(CORPUS_PART);
		// Two corpora: which one was meant is not ours to guess.
		if (files.size() > 1) {
			throw InvalidFieldException.withDetail(CORPUS_PART, "The upload has more than one 'corpus' part.");
		}
		if (files.isEmpty() && request.getParameterValues(CORPUS_PART) != null) {
			throw InvalidFieldException.withDetail(CORPUS_PART, "The corpus came as a form field, not as a file: send"
					+ " it as a file part (curl: -F corpus=@pairs.tsv, with the @).");
		}
		if (files.isEmpty()) {
			throw InvalidFieldException.withDetail(CORPUS_PART,
					"The upload has no 'corpus' file part (curl: -F corpus=@pairs.tsv).");
		}
		return files.get(0).getInputStream();
	}

	private static List<Part> parts(MultipartHttpServletRequest request) throws IOException {
		// Spring parses the body here (lazily) and reports a broken or oversized one in
		// its terms.
		request.getMultiFileMap();
		try {
			return List.copyOf(request.getParts());
		}
		catch (ServletException | IOException ex) {
			throw new MultipartException("The multipart body cannot be read", ex);
		}
	}

	/**
	 * Every part without a file name but the options part, by name, values decoded
	 * strictly.
	 */
	private static Map<String, List<String>> formFields(List<Part> parts) throws IOException {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (Part part : parts) {
			String name = (part.getName() != null) ? part.getName() : "";
			if (name.equals(OPTIONS_PART) || name.equals(CORPUS_PART)) {
				continue;
			}
			if (part.getSubmittedFileName() != null) {
				throw InvalidFieldException.withDetail(name,
						"The upload has a file part '" + name + "'; only 'corpus' is a file, options are fields.");
			}
			fields.computeIfAbsent(name, (key) -> new ArrayList<>()).add(text(name, part));
		}
		return fields;
	}

	private static String text(String name, Part part) throws IOException {
		byte[] bytes;
		try (InputStream in = part.getInputStream()) {
			bytes = in.readNBytes(MAX_FIELD_BYTES + 1);
		}
		if (bytes.length > MAX_FIELD_BYTES) {
			throw InvalidFieldException.withDetail(name,
					"The field '" + name + "' is longer than " + MAX_FIELD_BYTES + " bytes; no option is that long.");
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidFieldException(name, "is not valid UTF-8 text");
		}
	}

	private TrainRequest fromJsonPart(JsonPart part) throws IOException {
		MediaType type = mediaType(part.contentType());
		// A part without a type is what curl sends for -F 'options={...}': its name says
		// it is JSON.
		if (type != null && !type.isCompatibleWith(MediaType.APPLICATION_JSON)
				&& !type.isCompatibleWith(MediaType.TEXT_PLAIN)) {
			throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"The 'options' part has Content-Type '" + part.contentType() + "'; it must be JSON: send it"
							+ " as application/json (curl: -F 'options={...};type=application/json'),"
							+ " or give each option as its own form field (-F name=adder).");
		}
		byte[] body;
		try (InputStream in = part.open()) {
			body = in.readNBytes(MAX_OPTIONS_BYTES + 1);
		}
		if (body.length > MAX_OPTIONS_BYTES) {
			throw new PayloadTooLargeException("The 'options' part is larger than " + MAX_OPTIONS_BYTES + " bytes.");
		}
		TrainRequest options;
		try {
			options = this.json.readValue(body, TrainRequest.class);
		}
		catch (JacksonException ex) {
			if (ex.getPath().isEmpty()) {
				// Not one field at fault but the part as a whole.
				throw InvalidFieldException.withDetail(OPTIONS_PART, (ex instanceof StreamReadException)
						? "The 'options' part is not valid JSON." : "The 'options' part must be one JSON object.");
			}
			throw new HttpMessageNotReadableException("The 'options' part cannot be read", ex, message(body));
		}
		if (options == null) {
			throw InvalidFieldException.withDetail(OPTIONS_PART, "The 'options' part must be one JSON object.");
		}
		return options;
	}

	private TrainRequest fromFields(Map<String, List<String>> fields) {
		if (fields.isEmpty()) {
			throw InvalidFieldException.withDetail("name", "The upload has no options: give at least the field 'name'"
					+ " (-F name=adder), or all options as one 'options' JSON part.");
		}
		ObjectNode node = this.json.createObjectNode();
		for (Map.Entry<String, List<String>> field : fields.entrySet()) {
			String name = field.getKey();
			List<String> values = field.getValue();
			if (values.size() > 1) {
				throw InvalidFieldException.withDetail(name, "The field '" + name + "' is given more than once.");
			}
			RecordComponent component = component(name);
			if (component == null) {
				throw InvalidFieldException.withDetail(name, "Unknown field '" + name + "'; known fields: " + known());
			}
			put(node, name, component.getType(), values.get(0));
		}
		try {
			return this.json.treeToValue(node, TrainRequest.class);
		}
		catch (JacksonException ex) {
			throw new HttpMessageNotReadableException("The upload's form fields cannot be read", ex,
					message(new byte[0]));
		}
	}

	/**
	 * Types a form field's text as its option is typed; a mistyped value is named, not
	 * guessed at.
	 */
	private static void put(ObjectNode node, String name, Class<?> type, String value) {
		if (type == Integer.class) {
			if (!INTEGER.matcher(value).matches() || Long.parseLong(value) != (int) Long.parseLong(value)) {
				throw new InvalidFieldException(name,
						"must be an integer from -2147483648 to 2147483647 (was '" + abbreviate(value) + "')");
			}
			node.put(name, Integer.parseInt(value));
		}
		else if (type == Double.class) {
			if (!NUMBER.matcher(value).matches()) {
				throw new InvalidFieldException(name, "must be a number (was '" + abbreviate(value) + "')");
			}
			double number = Double.parseDouble(value);
			if (!Double.isFinite(number)) {
				throw new InvalidFieldException(name, "must be a finite number (was '" + abbreviate(value) + "')");
			}
			node.put(name, new BigDecimal(value));
		}
		else if (type == Boolean.class) {
			if (!value.equals("true") && !value.equals("false")) {
				throw new InvalidFieldException(name, "must be true or false (was '" + abbreviate(value) + "')");
			}
			node.put(name, Boolean.parseBoolean(value));
		}
		else {
			node.put(name, value);
		}
	}

	private static String abbreviate(String value) {
		return (value.length() > 40) ? value.substring(0, 40) + "..." : value;
	}

	private static RecordComponent component(String name) {
		if (NOT_FIELDS.contains(name)) {
			return null;
		}
		for (RecordComponent component : TrainRequest.class.getRecordComponents()) {
			if (component.getName().equals(name)) {
				return component;
			}
		}
		return null;
	}

	private static List<String> known() {
		return Arrays.stream(TrainRequest.class.getRecordComponents())
			.map(RecordComponent::getName)
			.filter((name) -> !NOT_FIELDS.contains(name))
			.toList();
	}

	/**
	 * The {@code options} part, whether the container holds it as a form field (no file
	 * name) or as a file (a file name, even an empty one).
	 */
	private static JsonPart jsonPart(MultipartHttpServletRequest request, List<Part> all) {
		List<MultipartFile> files = request.getFiles(OPTIONS_PART);
		List<Part> parts = all.stream().filter((part) -> OPTIONS_PART.equals(part.getName())).toList();
		if (parts.size() > 1 || files.size() > 1) {
			throw InvalidFieldException.withDetail(OPTIONS_PART, "The upload has more than one 'options' part.");
		}
		if (!parts.isEmpty()) {
			Part part = parts.get(0);
			return new JsonPart(part.getContentType(), part::getInputStream);
		}
		if (!files.isEmpty()) {
			MultipartFile file = files.get(0);
			return new JsonPart(file.getContentType(), file::getInputStream);
		}
		return null;
	}

	/** An options part as read from either form. */
	private record JsonPart(String contentType, Body source) {

		InputStream open() throws IOException {
			return this.source.open();
		}

	}

	@FunctionalInterface
	private interface Body {

		InputStream open() throws IOException;

	}

	private static MediaType mediaType(String contentType) {
		if (contentType == null) {
			return null;
		}
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"The 'options' part's Content-Type cannot be read; send it as application/json.");
		}
	}

	private static HttpInputMessage message(byte[] body) {
		return new HttpInputMessage() {
			@Override
			public InputStream getBody() {
				return new ByteArrayInputStream(body);
			}

			@Override
			public HttpHeaders getHeaders() {
				return new HttpHeaders();
			}
		};
	}

}

package dev.elman.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.elman.corpus.CorpusFormat;
import dev.elman.corpus.CorpusFormatException;
import dev.elman.corpus.CorpusReader;
import dev.elman.corpus.TextPair;
import dev.elman.http.InvalidFieldException;
import dev.elman.http.PayloadTooLargeException;
import dev.elman.http.UnicodeText;
import dev.elman.model.Tokenization;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a job's corpus into the job's folder and checks it before the job is accepted,
 * so a malformed corpus is refused at once with the line (or pair) at fault, not after
 * queueing.
 */
final class CorpusIntake {

	static final String FILE = "corpus.txt";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JobProperties limits;

	CorpusIntake(JobProperties limits) {
		this.limits = limits;
	}

	/** Stores the corpus of a JSON request: its pairs (as JSON lines) or its text. */
	CorpusInfo storeInline(Path folder, TrainRequest request, Tokenization tokenization) throws IOException {
		boolean hasText = request.text() != null;
		// A generated client starts pairs as an empty list and sends it even beside text:
		// an empty list holds no corpus, so it is no second one either.
		boolean hasPairs = request.pairs() != null && !request.pairs().isEmpty();
		if (hasPairs && hasText) {
			throw InvalidFieldException.withDetail("pairs", "Give the corpus as pairs or as text, not both.");
		}
		if (!hasPairs && !hasText) {
			throw InvalidFieldException.withDetail("pairs",
					"The corpus is missing: give pairs, text with its format, or upload a file to /train/upload.");
		}
		Files.createDirectories(folder);
		Path file = folder.resolve(FILE);
		if (hasPairs) {
			checkTextOptionsUnset(request);
			try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
				for (int i = 0; i < request.pairs().size(); i++) {
					TrainRequest.Pair pair = request.pairs().get(i);
					if (pair == null || pair.source() == null || pair.target() == null) {
						throw InvalidFieldException.withDetail("pairs[" + i + "]",
								"pairs[" + i + "]: a pair needs a source and a target");
					}
					UnicodeText.requireWellFormed("pairs[" + i + "].source", pair.source());
					UnicodeText.requireWellFormed("pairs[" + i + "].target", pair.target());
					out.write(JSON.writeValueAsString(Map.of("source", pair.source(), "target", pair.target())));
					out.write('\n');
				}
			}
			return check(folder, CorpusFormat.JSONL, null, false, tokenization, "pairs");
		}
		UnicodeText.requireWellFormed("text", request.text());
		UnicodeText.requireWellFormed("delimiter", request.delimiter());
		Files.writeString(file, request.text(), StandardCharsets.UTF_8);
		return check(folder, request.formatOrDefault(), request.delimiter(), Boolean.TRUE.equals(request.keepPadding()),
				tokenization, "text");
	}

	/**
	 * Inline pairs need no format: the text options may be absent or hold their defaults
	 * (which a generated client always sends), but a value that would change how text is
	 * read is a mistake worth telling.
	 */
	private static void checkTextOptionsUnset(TrainRequest request) {
		if (request.format() != null && request.format() != CorpusFormat.TSV) {
			throw InvalidFieldException.withDetail("format", "format applies to a text corpus; inline pairs need none"
					+ " (was '" + request.format().id() + "'; leave it out, or send the corpus as text).");
		}
		if (request.delimiter() != null && !"_".equals(request.delimiter())) {
			throw InvalidFieldException.withDetail("delimiter",
					"delimiter applies to a text corpus in the delimited format; inline pairs need none.");
		}
		if (Boolean.TRUE.equals(request.keepPadding())) {
			throw InvalidFieldException.withDetail("keepPadding",
					"keepPadding applies to a text corpus in the delimited format; inline pairs need none.");
		}
	}

	/** Stores an uploaded corpus file, streaming it to disk. */
	CorpusInfo storeUpload(Path folder, InputStream upload, TrainRequest options, Tokenization tokenization)
			throws IOException {
		boolean hasPairs = options.pairs() != null && !options.pairs().isEmpty();
		if (hasPairs || options.text() != null) {
			throw InvalidFieldException.withDetail("options",
					"With an uploaded corpus file the options must not contain pairs or text.");
		}
		UnicodeText.requireWellFormed("delimiter", options.delimiter());
		Files.createDirectories(folder);
		Files.copy(upload, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
		return check(folder, options.formatOrDefault(), options.delimiter(), Boolean.TRUE.equals(options.keepPadding()),
				tokenization, "corpus");
	}

	private CorpusInfo check(Path folder, CorpusFormat format, String delimiter, boolean keepPadding,
			Tokenization tokenization, String field) throws IOException {
		Path file = folder.resolve(FILE);
		long bytes = Files.size(file);
		if (bytes > this.limits.maxCorpusSize().toBytes()) {
			throw new PayloadTooLargeException("The corpus is " + bytes + " bytes; at most "
					+ this.limits.maxCorpusSize().toBytes() + " are accepted.");
		}
		List<TextPair> pairs = read(file, format, delimiter, keepPadding, field);
		if (pairs.isEmpty()) {
			throw InvalidFieldException.withDetail(field, "The corpus is empty: it holds no pairs.");
		}
		Set<String> symbols = new HashSet<>();
		for (int i = 0; i < pairs.size(); i++) {
			symbols.addAll(checkLength(pairs.get(i).source(), "source", i, tokenization, field));
			symbols.addAll(checkLength(pairs.get(i).target(), "target", i, tokenization, field));
		}
		return new CorpusInfo(FILE, format, (format == CorpusFormat.DELIMITED) ? delimiterOrDefault(delimiter) : null,
				keepPadding, pairs.size(), bytes, sha256(file), symbols.size());
	}

	/** Returns the side's symbols, once it is known to be within the limits. */
	private List<String> checkLength(String text, String side, int index, Tokenization tokenization, String field) {

		List<String> split = tokenization.split(text);
		int symbols = split.size();
		if (symbols == 0) {
			throw InvalidFieldException.withDetail(field, where(field, index) + ": the " + side + " has no symbols");
		}
		if (symbols > this.limits.maxSequenceLength()) {
			throw InvalidFieldException.withDetail(field, where(field, index) + ": the " + side + " has " + symbols
					+ " symbols; at most " + this.limits.maxSequenceLength() + " are allowed");
		}
		return split;
	}

	/**
	 * The longest line a corpus may have: room for two sides of the longest sequence, at
	 * up to 32 characters a symbol (a word, or a character escaped in JSON). A longer
	 * line is refused as it is read, so no side is ever split into more symbols than
	 * that.
	 */
	private int maxLineLength() {
		return (int) Math.min(Integer.MAX_VALUE - 8, 64L * this.limits.maxSequenceLength() + 1024);
	}

	private static String where(String field, int index) {
		return "pairs".equals(field) ? "pairs[" + index + "]" : "pair " + (index + 1);
	}

	/** Reads a stored corpus back, for training. */
	List<TextPair> read(Path folder, CorpusInfo info) {
		try {
			return read(folder.resolve(info.file()), info.format(), info.delimiter(), info.keepPadding(), "corpus");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private List<TextPair> read(Path file, CorpusFormat format, String delimiter, boolean keepPadding, String field)
			throws IOException {
		CorpusReader reader = CorpusReader.of(format, delimiterOrDefault(delimiter), keepPadding)
			.withMaxPairs(this.limits.maxPairs())
			.withMaxLineLength(maxLineLength());
		var decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		try (BufferedReader lines = new BufferedReader(
				new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
			return reader.read(lines);
		}
		catch (CorpusFormatException ex) {
			String message = ex.getMessage();
			if ("pairs".equals(field)) {
				// Inline pairs were written one a line: a line is a pair.
				message = "pairs[" + (ex.getLineNumber() - 1) + "]"
						+ message.substring(message.indexOf(':')).replace("the line is", "the pair is");
			}
			throw InvalidFieldException.withDetail(field, message);
		}
		catch (CharacterCodingException ex) {
			throw InvalidFieldException.withDetail(field, "The corpus is not valid UTF-8 text.");
		}
	}

	private static String delimiterOrDefault(String delimiter) {
		return (delimiter != null) ? delimiter : "_";
	}

	private static String sha256(Path file) throws IOException {
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
			return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

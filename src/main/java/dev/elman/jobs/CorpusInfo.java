package dev.elman.jobs;

import dev.elman.corpus.CorpusFormat;

/**
 * Where a job's corpus is and how to read it.
 *
 * @param file the corpus file, under the job's folder
 * @param format how its lines are laid out
 * @param delimiter the delimiter of the delimited format, else null
 * @param keepPadding whether the delimited format keeps padding spaces
 * @param pairs how many pairs it holds
 * @param bytes its size
 * @param sha256 its checksum
 * @param symbols how many distinct symbols its sources and targets hold (0 for jobs
 * accepted before this was counted)
 */
record CorpusInfo(String file, CorpusFormat format, String delimiter, boolean keepPadding, int pairs, long bytes,
		String sha256, int symbols) {

}

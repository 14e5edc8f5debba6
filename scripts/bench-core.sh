#!/usr/bin/env bash
# Trains the book's addition setup with Elman and with the PyTorch reference
# (../shared/bench/torch_ref_seq2seq.py) in the same sitting, and prints both side by side:
# training pairs/s and target tokens/s, held-out exact match, batched greedy decode seq/s.
#
#   scripts/bench-core.sh [--data FILE] [--format tsv|jsonl|delimited] [--epochs N] [--reverse]
#                         [--keep-padding] [--workers N] [--warm-jvm-epochs N] [--no-reference]
#
# Any corpus in any supported format: --data names it (the book's addition.txt by default),
# --format says how it is written (delimited, the book's fixed-width "question_answer" lines,
# by default). The reference reads only the delimited format; for the others it is skipped.
# scripts/make-spread-corpus.py writes a corpus whose sources spread over 3 to 64 symbols.
#
# --warm-jvm-epochs N first trains a throwaway model for N epochs, so Elman is measured in a JVM
# that has compiled its code already, as a service that has trained before is (in a fresh JVM
# the just-in-time compiler takes the second core for much of the first minute).
#
# Elman trains with --workers threads (default 2) sharing each step, PyTorch using one
# intra-op thread each; decoding is measured on one thread and with the batch split across
# the workers.
#
# The reference needs Debian's PyTorch (apt-get install -y python3-torch); with
# libopenblas0-pthread installed it runs several times faster than on Debian's reference BLAS.
set -euo pipefail
cd "$(dirname "$0")/.."

epochs=3 reverse="" padding="" workers=2 warm=0 reference=yes data=../shared/datasets/addition.txt format=delimited
while [ $# -gt 0 ]; do
	case "$1" in
		--epochs) epochs="$2"; shift ;;
		--data) data="$2"; shift ;;
		--format) format="$2"; shift ;;
		--reverse) reverse="--reverse" ;;
		--keep-padding) padding="--keep-padding" ;;
		--workers) workers="$2"; shift ;;
		--warm-jvm-epochs) warm="$2"; shift ;;
		--no-reference) reference=no ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
ref=../shared/bench/torch_ref_seq2seq.py

./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
classpath="target/classes:target/test-classes:$(cat target/bench.classpath)"

echo "== Elman"
OMP_NUM_THREADS=1 java -cp "$classpath" dev.elman.bench.CoreBenchmark --data "$data" --format "$format" \
	--epochs "$epochs" --workers "$workers" --warm-jvm-epochs "$warm" $reverse $padding | tee target/bench-elman.log | grep -v '^RESULT'
ours=$(grep '^RESULT' target/bench-elman.log)

torch_python=""
for candidate in /usr/bin/python3 python3; do
	if "$candidate" -c 'import torch' >/dev/null 2>&1; then torch_python="$candidate"; break; fi
done
refs=()
if [ "$reference" = yes ] && [ "$format" != delimited ]; then
	echo "(reference skipped: it reads only the delimited format)"
elif [ "$reference" = yes ] && [ -n "$torch_python" ] && [ -f "$ref" ]; then
	for t in 1 2; do
		echo "== PyTorch reference, $t thread(s)"
		"$torch_python" "$ref" --data "$data" --epochs "$epochs" --threads "$t" $reverse \
			| tee "target/bench-reference-$t.log" | grep -v '^RESULT_JSON'
		refs+=("$(grep '^RESULT_JSON' "target/bench-reference-$t.log" | cut -d' ' -f2-)")
	done
elif [ "$reference" = yes ]; then
	echo "(reference skipped: no python3 with torch; apt-get install -y python3-torch)"
fi

echo
echo "== Side by side (steady epochs, i.e. all but the first)"
OURS="$ours" python3 - "${refs[@]}" <<'PY'
import json, os, sys
ours = dict(kv.split('=', 1) for kv in os.environ['OURS'].split()[1:])
print("%-34s %9s %12s %9s %14s %14s %14s %11s" % ("", "pairs/s", "target tok/s", "val exact",
      "decode seq/s", "decode seq/s", "decode seq/s", "1 input"))
print("%-34s %9s %12s %9s %14s %14s %14s %11s" % ("", "training", "training", "held out",
      "1 thread, ids", "N threads, ids", "1 thread, text", "median ms"))
print("%-34s %9.0f %12.0f %8.2f%% %14.0f %14.0f %14.0f %11.3f" % (
    "Elman, %s thread(s)" % ours['workers'], float(ours['train_pairs_per_s']), float(ours['train_target_tokens_per_s']),
    100 * float(ours['val_exact']), float(ours['decode_ids_seq_per_s']), float(ours['decode_ids_parallel_seq_per_s']),
    float(ours['decode_text_seq_per_s']), float(ours['decode_latency_ms'])))
refs = [json.loads(text) for text in sys.argv[1:]]
for r in refs:
    print("%-34s %9.0f %12.0f %8.2f%% %14.0f %14s %14s %11.3f" % (
        "reference torch %s, %d thread(s)" % (r['torch'], r['threads']), r['mean_train_tok_s'] / r['tgt_steps'],
        r['mean_train_tok_s'], 100 * r['final_val_exact'], r['decode_seq_s'], "-", "-", r['latency_ms_median']))
if refs:
    train = max(r['mean_train_tok_s'] / r['tgt_steps'] for r in refs)
    decode = max(r['decode_seq_s'] for r in refs)
    latency = min(r['latency_ms_median'] for r in refs)
    print("\nElman / the reference's better setting: training pairs/s x%.2f; decode seq/s x%.2f on 1 thread, x%.2f on %s;"
          " one input's latency x%.2f (below 1 is faster)"
          % (float(ours['train_pairs_per_s']) / train, float(ours['decode_ids_seq_per_s']) / decode,
             float(ours['decode_ids_parallel_seq_per_s']) / decode, ours['workers'],
             float(ours['decode_latency_ms']) / latency))
print("(pairs/s and decode seq/s: steady epochs, all but the first; Elman's target tokens include the end symbol,")
print(" the reference counts 4 per pair and has none)")
PY

"""Parses Prometheus text exposition from stdin with the Prometheus project's own Python
parser and prints each metric family as JSON: name, type and samples with their labels.
A scrape the parser rejects makes it exit non-zero with the parser's error."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = []
for family in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": family.name,
        "type": family.type,
        "samples": [{"name": s.name, "labels": s.labels, "value": repr(s.value)} for s in family.samples],
    })
json.dump(families, sys.stdout, allow_nan=True)

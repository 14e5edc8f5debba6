#!/usr/bin/env python3
"""Writes a corpus whose sources spread over 3 to 64 symbols, for the speed benchmarks.

Each source is a random string of lower-case letters, its length uniform from 3 to 64; its
target is the source's last four letters, reversed (for speed: the task is easy), or with
--target first its first four letters (for quality: the encoder must carry them through up to
60 later symbols, where a vanilla RNN's gradients vanish). The lines are in the book's fixed-width
delimited format ("source padded to 64 _target"), which both scripts/bench-core.sh and the
PyTorch reference read. Seeded: the same arguments write the same file.

    scripts/make-spread-corpus.py [--pairs 50000] [--seed 1984] [--min 3] [--max 64]
                                  [--target last|first] > spread.txt
"""
import argparse
import random
import string
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1984)
    parser.add_argument("--min", type=int, default=3)
    parser.add_argument("--max", type=int, default=64)
    parser.add_argument("--target", choices=["last", "first"], default="last")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for _ in range(args.pairs):
        length = rng.randint(args.min, args.max)
        source = "".join(rng.choice(string.ascii_lowercase) for _ in range(length))
        target = source[-4:][::-1] if args.target == "last" else source[:4]
        out.write(source.ljust(args.max) + " _" + target.ljust(4) + "\n")


if __name__ == "__main__":
    main()

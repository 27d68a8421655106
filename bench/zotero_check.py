#!/usr/bin/env python3
"""What Zotero saves from Chancery's document pages (issue 17): asks Zotero's own
translation-server (zotero-setup.sh of the scholarly-clients kit) for the item of each page and
checks item type, creators, title, container, volume, pages, date and archive fields.

    zotero_check.py ZOTERO_URL CHANCERY_URL      # e.g. http://127.0.0.1:1969 http://127.0.0.1:8080

Exit 0 when every page gives the expected item, 1 otherwise.
"""
import json
import sys
import urllib.error
import urllib.request

EXPECTED = {
    "frus1955-57v23p1/d52": {
        "itemType": "bookSection",
        "creators": [("author", "Robertson", "Walter S."), ("editor", "Mabon", "David W.")],
        "bookTitle": "Foreign Relations of the United States, 1955\u20131957, Japan",
        "series": "Foreign Relations of the United States",
        "volume": "XXIII, Part 1",
        "publisher": "United States Government Printing Office",
        "place": "Washington",
        "date": "1991",
        "pages": "122-123",
        "language": "en",
        "title_has": "Washington, September 18, 1955",
    },
    "frus1946v06/d475": {
        "itemType": "bookSection",
        "creators": [("author", "Kennan", None)],
        "bookTitle": "Foreign Relations of the United States, 1946",
        "volume": "VI",
        "pages": "697-709",
        "title_has": "Moscow, February 22, 1946",
    },
    "wilson-center/300264": {
        "itemType": "manuscript",
        "creators": [("contributor", "Radchenko", "Sergey"), ("translator", "Smith", "Allison")],
        "date": "1960-01-24",
        "archiveLocation": "RGANI, f. 52, op. 1, d. 598, ll. 61",
        "title_has": "Khrushchev's Note on a Memorandum to Japan",
    },
    "L03619": {
        "itemType": "letter",
        "creators": [("author", "Franzos", "Karl Emil"), ("recipient", "Schnitzler", "Arthur")],
        "date": "1888-05-11",
    },
    "cavriana/letters/1568-04-06": {
        "itemType": "letter",
        "creators": [("author", "Cavriana", "Filippo"), ("recipient", "Gonzaga", "Guglielmo")],
        "date": "1568-04-06",
    },
    "SrsGeneve_41_02_19": {
        "itemType": "letter",
        "creators": [("author", "Calvin", "Jean")],
        "date": "1541-02-19",
    },
}


def creators(item):
    out = []
    for c in item.get("creators", []):
        out.append((c.get("creatorType"), c.get("lastName") or c.get("name"), c.get("firstName")))
    return out


def check_multiple(zotero, chancery):
    """A search page is "multiple" for Zotero (HTTP 300 with its items to choose from); choosing
    d52 saves it as a bookSection of its volume, with its URL. Returns 1 on failure."""
    page = "%s/search?q=Habomai&from=1955&to=1955" % chancery
    req = urllib.request.Request(zotero + "/web", data=page.encode(), headers={"Content-Type": "text/plain"})
    try:
        urllib.request.urlopen(req, timeout=60)
        print("FAIL search page: not multiple (200)")
        return 1
    except urllib.error.HTTPError as e:
        if e.code != 300:
            print("FAIL search page: HTTP %d" % e.code)
            return 1
        choice = json.load(e)
    items = choice.get("items", {})
    pick = {k: v for k, v in items.items() if "(Robertson) to the Secretary of State" in str(v)}
    if len(items) < 2 or len(pick) != 1:
        print("FAIL search page: %d items to choose, d52 among them %d times: %s" % (len(items), len(pick), items))
        return 1
    choice["items"] = pick
    req = urllib.request.Request(zotero + "/web", data=json.dumps(choice).encode(),
                                 headers={"Content-Type": "application/json"})
    saved = json.load(urllib.request.urlopen(req, timeout=60))
    item = saved[0] if saved else {}
    bad = []
    if item.get("itemType") != "bookSection":
        bad.append("itemType %r" % item.get("itemType"))
    if item.get("url") != "%s/doc/frus1955-57v23p1/d52" % chancery:
        bad.append("url %r" % item.get("url"))
    if not any(c.get("lastName") == "Robertson" for c in item.get("creators", [])):
        bad.append("creators %r" % item.get("creators"))
    if bad:
        print("FAIL search page, d52 chosen:\n  %s" % "\n  ".join(bad))
        return 1
    print("ok   search page: multiple (%d items), d52 saved as %s" % (len(items), item["itemType"]))
    return 0


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    zotero, chancery = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    failures = 0
    for doc, want in EXPECTED.items():
        page = "%s/doc/%s" % (chancery, doc)
        req = urllib.request.Request(zotero + "/web", data=page.encode(), headers={"Content-Type": "text/plain"})
        items = json.load(urllib.request.urlopen(req, timeout=60))
        item = items[0] if items else {}
        bad = []
        for k, v in want.items():
            if k == "creators":
                got = creators(item)
                for c in v:
                    if not any(g[0] == c[0] and g[1] == c[1] and (c[2] is None or g[2] == c[2]) for g in got):
                        bad.append("creator %s not in %s" % (c, got))
            elif k == "title_has":
                if v not in item.get("title", ""):
                    bad.append("title %r lacks %r" % (item.get("title"), v))
            elif item.get(k) != v:
                bad.append("%s: %r, expected %r" % (k, item.get(k), v))
        if item.get("url") != page:
            bad.append("url: %r" % item.get("url"))
        if bad:
            failures += 1
            print("FAIL %s\n  %s" % (doc, "\n  ".join(bad)))
        else:
            print("ok   %s: %s" % (doc, item["itemType"]))
    failures += check_multiple(zotero, chancery)
    print("RESULT: %s (%d of %d pages)" % ("FAIL" if failures else "PASS", len(EXPECTED) + 1 - failures, len(EXPECTED) + 1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

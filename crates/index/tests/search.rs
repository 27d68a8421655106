use std::collections::BTreeSet;

use chancery_index::{FacetCount, Index, IndexError, SearchRequest, SearchResults, Sort, Subjects};
use chancery_model::{Block, Collection, Contributor, DateInterval, Document, Inline, MentionKind, Precision};

fn para(inlines: Vec<Inline>) -> Block {
    Block { inlines, ..Default::default() }
}

fn mention(kind: MentionKind, text: &str, resolved: Option<&str>) -> Inline {
    Inline::Mention { kind, text: text.into(), reference: None, resolved: resolved.map(Into::into) }
}

#[allow(clippy::too_many_arguments)]
fn doc(
    id: &str,
    title: &str,
    language: Option<&str>,
    date: Option<DateInterval>,
    collection: (&str, &str),
    doc_type: &str,
    body: Vec<Block>,
) -> Document {
    let mut d = Document {
        id: id.into(),
        title: title.into(),
        language: language.map(Into::into),
        date,
        collection: Some(Collection { id: collection.0.into(), title: collection.1.into() }),
        doc_type: Some(doc_type.into()),
        body,
        ..Default::default()
    };
    d.finalize();
    d
}

fn day(y: i32, m: u32, d: u32) -> Option<DateInterval> {
    DateInterval::day(y, m, d, format!("{y}-{m:02}-{d:02}"))
}

const JAPAN: (&str, &str) = ("frus1955-57v23p1", "Foreign Relations, 1955–1957, Japan");
const JAPAN2: (&str, &str) = ("frus1958-60v18", "Foreign Relations, 1958–1960, Japan; Korea");
const WILSON: (&str, &str) = ("wilson", "Wilson Center Digital Archive");

fn corpus() -> Vec<Document> {
    let mut memo = doc(
        "frus1955-57v23p1/d52",
        "Memorandum of a Conversation, Department of State, Washington",
        Some("en"),
        day(1956, 8, 19),
        JAPAN,
        "memorandum",
        vec![para(vec![
            Inline::text("Secretary "),
            mention(MentionKind::Person, "Dulles", Some("John Foster Dulles, Secretary of State")),
            Inline::text(" said that the Habomais and Shikotan were part of "),
            mention(MentionKind::Place, "Hokkaido", None),
            Inline::text(" and that the Japanese claim to the southern Kuriles should not be given up."),
        ])],
    );
    memo.classification = Some("Secret".into());
    memo.contributors = vec![Contributor { role: "author".into(), name: "Robertson".into(), reference: None }];

    let note = doc(
        "frus1958-60v18/d150",
        "Note From the Soviet Government to the Japanese Government",
        Some("en"),
        DateInterval::day(1960, 1, 24, "January 24, 1960"),
        JAPAN2,
        "note",
        vec![para(vec![Inline::text(
            "Following the conversation of January 20, the Soviet Government states that the transfer of \
             H[abomai] and S[hikotan] will take place only after the withdrawal of foreign troops.",
        )])],
    );

    let mut editorial = doc(
        "frus1958-60v18/d149",
        "Editorial Note",
        Some("en"),
        DateInterval::month(1959, 12, "December 1959"),
        JAPAN2,
        "editorial note",
        vec![para(vec![Inline::text("The revision of the Security Treaty was discussed in Tokyo.")])],
    );
    editorial.classification = Some("Confidential".into());

    let russian = doc(
        "wilson/ru1",
        "Совместная декларация СССР и Японии",
        Some("ru"),
        day(1956, 10, 19),
        WILSON,
        "declaration",
        vec![para(vec![Inline::text(
            "Союз Советских Социалистических Республик соглашается на передача островов Хабомаи и Шикотан Японии.",
        )])],
    );
    let italian = doc(
        "venice/it1",
        "Lettera al Doge",
        Some("it"),
        DateInterval::day(1616, 8, 16, "16 agosto 1616"),
        ("venice", "Senato, Dispacci"),
        "letter",
        vec![para(vec![Inline::text("Si inviano con questa i dispacci del Senato per Costantinopoli.")])],
    );
    let chinese = doc(
        "wilson/zh1",
        "关于日苏谈判的报告",
        Some("zh"),
        day(1955, 6, 1),
        WILSON,
        "report",
        vec![para(vec![Inline::text("日本和苏联的谈判在伦敦开始。")])],
    );
    let japanese = doc(
        "wilson/ja1",
        "領土問題",
        Some("ja"),
        day(1956, 10, 20),
        WILSON,
        "memorandum",
        vec![para(vec![Inline::text("歯舞群島と色丹島は日本に引き渡される。")])],
    );
    let undated = doc(
        "misc/undated",
        "Fragment",
        None,
        None,
        WILSON,
        "fragment",
        vec![para(vec![Inline::text("A fragment about fisheries, without a date.")])],
    );
    vec![memo, note, editorial, russian, italian, chinese, japanese, undated]
}

fn build(dir: &std::path::Path) -> Index {
    let index = Index::open(dir).unwrap();
    let mut w = index.writer().unwrap();
    for d in corpus() {
        w.add(&d).unwrap();
    }
    w.commit().unwrap();
    index
}

fn ids(r: &SearchResults) -> BTreeSet<String> {
    r.hits.iter().map(|h| h.id.clone()).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn search(index: &Index, q: &str) -> SearchResults {
    index.search(&SearchRequest::new(q)).unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn found(index: &Index, q: &str) -> BTreeSet<String> {
    let r = search(index, q);
    assert_eq!(r.total, r.hits.len(), "{q}: all hits fit on the page");
    ids(&r)
}

const MEMO: &str = "frus1955-57v23p1/d52";
const NOTE: &str = "frus1958-60v18/d150";
/// The Russian declaration names "Хабомаи и Шикотан": Latin names find it across scripts.
const RU: &str = "wilson/ru1";

#[test]
fn english_terms_brackets_and_stemming() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    assert_eq!(index.count(), 8);
    // default conjunction: both words required, found in both English documents ("Habomais"
    // stems to "habomai", "H[abomai]" reads as "habomai") and, across scripts, in the Russian
    // one ("Хабомаи и Шикотан")
    assert_eq!(found(&index, "Habomai Shikotan"), set(&[MEMO, NOTE, RU]));
    assert_eq!(found(&index, "habomais"), set(&[MEMO, NOTE]));
    assert_eq!(found(&index, "Habomai Tokyo"), set(&[]));
    assert_eq!(found(&index, "Habomai OR Tokyo"), set(&[MEMO, NOTE, RU, "frus1958-60v18/d149"]));
    assert_eq!(found(&index, "Shikotan -Dulles"), set(&[NOTE, RU]));
    assert_eq!(found(&index, "Shikotan AND NOT troops"), set(&[MEMO, RU]));
    assert_eq!(found(&index, "+Shikotan +troops"), set(&[NOTE]));
}

#[test]
fn russian_italian_and_cjk_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    assert_eq!(found(&index, "островами"), set(&["wilson/ru1"]));
    assert_eq!(found(&index, "передачи Шикотана"), set(&["wilson/ru1"]));
    // the Russian title is analysed in Russian too
    assert_eq!(found(&index, "декларации"), set(&["wilson/ru1"]));
    assert_eq!(found(&index, "dispaccio"), set(&["venice/it1"]));
    assert_eq!(found(&index, "苏联"), set(&["wilson/zh1"]));
    assert_eq!(found(&index, "色丹"), set(&["wilson/ja1"]));
    // a longer CJK query is a sequence of bigrams that must be adjacent
    assert_eq!(found(&index, "歯舞群島"), set(&["wilson/ja1"]));
    assert_eq!(found(&index, "群島歯舞"), set(&[]));
}

#[test]
fn phrases_fields_and_fuzzy_terms() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    assert_eq!(found(&index, "\"Shikotan were part\""), set(&[MEMO]));
    assert_eq!(found(&index, "\"Habomai and Shikotan\""), set(&[MEMO, NOTE]));
    assert_eq!(found(&index, "part Shikotan"), set(&[MEMO]));
    assert_eq!(found(&index, "\"part Shikotan\""), set(&[]));
    // excluded phrases (tantivy 0.27 panics on these without the crate's workaround)
    assert_eq!(found(&index, "Shikotan -\"were part\""), set(&[NOTE, RU]));
    assert_eq!(found(&index, "-\"Habomai and Shikotan\"").len(), 6);
    assert_eq!(found(&index, "NOT \"歯舞群島\"").len(), 7);

    assert_eq!(found(&index, "conversation"), set(&[MEMO, NOTE]));
    assert_eq!(found(&index, "title:conversation"), set(&[MEMO]));
    assert_eq!(found(&index, "person:Dulles"), set(&[MEMO]));
    assert_eq!(found(&index, "person:\"John Foster Dulles\""), set(&[MEMO]), "resolved name indexed");
    assert_eq!(found(&index, "person:Robertson"), set(&[MEMO]), "contributors indexed");
    assert_eq!(found(&index, "place:Hokkaido"), set(&[MEMO]));
    assert_eq!(found(&index, "place:Shikotan"), set(&[]));

    assert_eq!(found(&index, "Shikotn~1"), set(&[MEMO, NOTE]));
    assert_eq!(found(&index, "Shikotn"), set(&[]));
    assert_eq!(found(&index, "title:Memorandm~1"), set(&[MEMO]));
    assert_eq!(found(&index, "Shikotn~1 troops"), set(&[NOTE]));
}

#[test]
fn date_ranges_overlap_and_bounds_are_inclusive() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let range = |q: &str, from: Option<&str>, to: Option<&str>| {
        let req =
            SearchRequest { query: q.into(), from: from.map(Into::into), to: to.map(Into::into), ..Default::default() };
        ids(&index.search(&req).unwrap())
    };
    assert_eq!(range("Habomai Shikotan", Some("1955"), Some("1959")), set(&[MEMO, RU]));
    assert_eq!(range("Habomai Shikotan", Some("1955"), Some("1960")), set(&[MEMO, NOTE, RU]));
    assert_eq!(range("Habomai Shikotan", Some("1960-01-24"), None), set(&[NOTE]));
    assert_eq!(range("Habomai Shikotan", None, Some("1960-01-23")), set(&[MEMO, RU]));
    // December 1959 overlaps a range starting mid-December, not one starting in 1960
    assert_eq!(range("", Some("1959-12-15"), Some("1960")), set(&["frus1958-60v18/d149", NOTE]));
    assert_eq!(range("", Some("1960"), None), set(&[NOTE]));
    // an empty query with a range lists every dated document in it; undated ones never match
    assert_eq!(
        range("", Some("1955"), Some("1959")),
        set(&[MEMO, "frus1958-60v18/d149", "wilson/ru1", "wilson/zh1", "wilson/ja1"])
    );
    assert_eq!(range("", Some("September 1955"), Some("1956-08-19")), set(&[MEMO]));

    let bad = SearchRequest { from: Some("next Tuesday".into()), ..Default::default() };
    assert!(matches!(index.search(&bad), Err(IndexError::Query(_))));
}

#[test]
fn sorting_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let order = |sort: Sort| {
        let r = index.search(&SearchRequest { sort, ..Default::default() }).unwrap();
        r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
    };
    let asc =
        ["venice/it1", "wilson/zh1", MEMO, "wilson/ru1", "wilson/ja1", "frus1958-60v18/d149", NOTE, "misc/undated"];
    assert_eq!(order(Sort::DateAsc), asc);
    let mut desc = asc[..7].to_vec();
    desc.reverse();
    desc.push("misc/undated");
    assert_eq!(order(Sort::DateDesc), desc);

    // paging walks the same order
    let page = index.search(&SearchRequest { sort: Sort::DateAsc, limit: 2, offset: 2, ..Default::default() }).unwrap();
    assert_eq!(page.total, 8);
    assert_eq!(page.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), [MEMO, "wilson/ru1"]);

    // relevance: the document with both terms in the title and text ranks first
    let r = search(&index, "conversation");
    assert_eq!(r.hits[0].id, MEMO);
    assert!(r.hits[0].score > r.hits[1].score && r.hits[1].score > 0.0);
}

fn facet(r: &SearchResults, name: &str) -> Vec<(String, u64)> {
    r.facets[name].iter().map(|FacetCount { value, count, .. }| (value.clone(), *count)).collect()
}

fn pairs(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
}

#[test]
fn facets_count_all_matching_documents() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let all = index.search(&SearchRequest { limit: 1, ..Default::default() }).unwrap();
    assert_eq!(all.total, 8);
    assert_eq!(all.hits.len(), 1);
    assert_eq!(facet(&all, "decade"), pairs(&[("1610s", 1), ("1950s", 5), ("1960s", 1)]));
    assert_eq!(facet(&all, "language"), pairs(&[("en", 3), ("it", 1), ("ja", 1), ("ru", 1), ("zh", 1)]));
    assert_eq!(facet(&all, "year"), pairs(&[("1616", 1), ("1955", 1), ("1956", 3), ("1959", 1), ("1960", 1)]));
    assert_eq!(facet(&all, "classification"), pairs(&[("Confidential", 1), ("Secret", 1)]));
    assert_eq!(facet(&all, "collection")[0], ("wilson".to_string(), 4));
    assert_eq!(facet(&all, "doc_type")[0], ("memorandum".to_string(), 2));
    assert_eq!(all.facet_distinct["language"], 5);

    // a facet is cut to its most frequent values (ties by value); years never are
    let cut = index.search(&SearchRequest { limit: 1, facet_limit: 2, ..Default::default() }).unwrap();
    assert_eq!(facet(&cut, "language"), pairs(&[("en", 3), ("it", 1)]));
    assert_eq!(cut.facet_distinct["language"], 5);
    assert_eq!(facet(&cut, "year"), facet(&all, "year"));
    assert_eq!(cut.facet_distinct["year"], 5);
    let every = index.search(&SearchRequest { limit: 1, facet_limit: 0, ..Default::default() }).unwrap();
    assert_eq!(every.facets, all.facets);

    // facets follow the query, not the page
    let r = index.search(&SearchRequest { query: "Shikotan".into(), limit: 1, ..Default::default() }).unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(facet(&r, "decade"), pairs(&[("1950s", 2), ("1960s", 1)]));
    assert_eq!(facet(&r, "language"), pairs(&[("en", 2), ("ru", 1)]));

    // filters narrow; values of one field are alternatives
    let filtered = |filters: &[(&str, &str)]| {
        let req = SearchRequest {
            filters: filters.iter().map(|(f, v)| (f.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        ids(&index.search(&req).unwrap())
    };
    assert_eq!(filtered(&[("decade", "1960s")]), set(&[NOTE]));
    assert_eq!(filtered(&[("language", "ru"), ("language", "it")]), set(&["wilson/ru1", "venice/it1"]));
    assert_eq!(filtered(&[("doc_type", "memorandum"), ("language", "ja")]), set(&["wilson/ja1"]));
    assert_eq!(filtered(&[("classification", "SECRET")]), set(&[MEMO]));
    assert_eq!(filtered(&[("year", "1956"), ("collection", "wilson")]), set(&["wilson/ru1", "wilson/ja1"]));
    let by_collection =
        SearchRequest { query: "Shikotan".into(), collection: Some(JAPAN2.0.into()), ..Default::default() };
    assert_eq!(ids(&index.search(&by_collection).unwrap()), set(&[NOTE]));

    for bad in [("year", "nineteen"), ("colour", "red")] {
        let req = SearchRequest { filters: vec![(bad.0.into(), bad.1.into())], ..Default::default() };
        assert!(matches!(index.search(&req), Err(IndexError::Query(_))), "{bad:?}");
    }
}

#[test]
fn hits_carry_snippets_dates_and_collections() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let r =
        index.search(&SearchRequest { query: "Habomai".into(), sort: Sort::DateAsc, ..Default::default() }).unwrap();
    let memo = &r.hits[0];
    assert_eq!(memo.id, MEMO);
    assert!(memo.snippet_html.contains("<b>Habomais</b>"), "{}", memo.snippet_html);
    assert!(memo.snippet.contains("Habomais and Shikotan") && !memo.snippet.contains('<'), "{}", memo.snippet);
    assert_eq!(memo.collection.as_ref().unwrap().title, JAPAN.1);
    assert_eq!(memo.date.as_ref().unwrap().from, "1956-08-19");
    assert_eq!(r.hits[1].id, RU, "Хабомаи, across scripts");
    let note = &r.hits[2];
    assert!(note.snippet_html.contains("<b>H[abomai]</b>"), "{}", note.snippet_html);
    let date = note.date.as_ref().unwrap();
    assert_eq!((date.text.as_str(), date.precision), ("January 24, 1960", Precision::Day));

    // CJK highlights, and nothing matched in the text gives its opening
    let zh = &search(&index, "苏联").hits[0];
    assert!(zh.snippet_html.contains("<b>苏联</b>"), "{}", zh.snippet_html);
    let t = &search(&index, "title:fragment").hits[0];
    assert_eq!(t.snippet, "A fragment about fisheries, without a date.");
    assert!(!t.snippet_html.contains("<b>"));

    // the JSON shape the CLI prints
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["total"], 3);
    assert_eq!(json["hits"][2]["date"]["from"], "1960-01-24");
    assert_eq!(json["hits"][2]["collection"]["id"], JAPAN2.0);
    assert!(json["facets"]["decade"].is_array());
    let req: SearchRequest = serde_json::from_str(r#"{"query":"x","sort":"date_desc"}"#).unwrap();
    assert_eq!((req.sort, req.limit), (Sort::DateDesc, 20));
}

#[test]
fn replacing_deleting_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = build(dir.path());
        let mut memo = corpus().remove(0);
        memo.title = "Revised memorandum on Etorofu".into();
        let mut w = index.writer().unwrap();
        w.add(&memo).unwrap();
        w.add(&memo).unwrap();
        w.commit().unwrap();
        assert_eq!(index.count(), 8);
        assert_eq!(found(&index, "Etorofu"), set(&[MEMO]));
        assert_eq!(found(&index, "title:conversation"), set(&[]));

        let no_id = Document { title: "x".into(), ..Default::default() };
        assert!(matches!(w.add(&no_id), Err(IndexError::InvalidDocument(_))));
        w.delete("wilson/zh1");
        w.commit().unwrap();
        assert_eq!(index.count(), 7);
        assert_eq!(found(&index, "苏联"), set(&[]));
    }
    // the index on disk is reopened with its documents
    let index = Index::open(dir.path()).unwrap();
    assert_eq!(index.count(), 7);
    assert_eq!(found(&index, "Etorofu"), set(&[MEMO]));

    // rebuild: delete everything and re-add in one commit
    let mut w = index.writer().unwrap();
    w.delete_all().unwrap();
    for d in corpus().into_iter().take(2) {
        w.add(&d).unwrap();
    }
    w.commit().unwrap();
    assert_eq!(index.count(), 2);
    drop(w);
    index.delete_all().unwrap();
    assert_eq!(index.count(), 0);
}

#[test]
fn no_query_string_is_refused_and_each_rewrite_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    // what main refused with "syntax error": each is read, and the inspector says how
    for (q, read_as, note) in [
        ("title:(", "title", "parentheses"),
        ("\"Habomai and Shikotan", "\"Habomai and Shikotan\"", "unclosed quotation mark"),
        ("nosuchfield:Shikotan", "Shikotan", "not a field"),
        ("text:fragment", "", "ignored"),
        ("AND", "", "Operators without words"),
        ("H[abomai]", "Habomai", "editorial marks"),
        ("Habomai's", "Habomai", "Possessives"),
        ("(Habomai OR Tokyo", "Habomai OR Tokyo", "parentheses"),
        ("Habomai\u{0}", "Habomai", "Control characters"),
    ] {
        let r = index.search(&SearchRequest::new(q));
        assert!(r.is_ok(), "{q}: {r:?}");
        let u = index.understand(q, &chancery_index::NoNames).unwrap();
        assert!(u.query.contains(read_as), "{q}: read as {:?}", u.query);
        assert!(u.notes.iter().any(|n| n.contains(note)), "{q}: {:?}", u.notes);
    }
    assert_eq!(found(&index, "H[abomai]"), set(&[MEMO, NOTE, RU]));
    assert_eq!(found(&index, "\"Habomai and Shikotan"), set(&[MEMO, NOTE]));
    assert_eq!(found(&index, "nosuchfield:Shikotan"), set(&[MEMO, NOTE, RU]));
    // each part with its own count: which term emptied the result
    let u = index.understand("Habomai Tokyo", &chancery_index::NoNames).unwrap();
    let counts: Vec<(&str, u64)> = u.terms.iter().map(|t| (t.term.as_str(), t.count)).collect();
    assert_eq!(counts, [("Habomai", 3), ("Tokyo", 1)]);
    let long = "Shikotan ".repeat(200);
    assert_eq!(index.search(&SearchRequest::new(long)).unwrap().total, 3, "the first 1000 characters are read");
    let deep = format!("{}Shikotan{}", "(".repeat(200), ")".repeat(200));
    assert_eq!(index.search(&SearchRequest::new(deep)).unwrap().total, 3, "too deep: its words");
    let far = SearchRequest { offset: usize::MAX, ..Default::default() };
    assert!(matches!(index.search(&far), Err(IndexError::Query(_))));

    // odd but valid input
    for q in [
        "-Shikotan",
        "[",
        "]",
        "~1",
        "*",
        "Shikotan^3",
        "\"\"",
        "日",
        "(Shikotan)",
        "Shikotan~5",
        "a~9999999999",
        "—, ;",
        "title:[a TO z]",
        "year:[1950 TO 1959]",
        "year:>1955",
        "date_from:>0",
        "person:[a TO b]",
        "id:IN [a b]",
        "title:{a TO *}",
        "year:*",
        "decade:*",
        "title:*",
        "year:abc",
        "title:/sh.*/",
        "collection:wilson",
    ] {
        if let Err(e) = index.search(&SearchRequest::new(q)) {
            assert!(matches!(e, IndexError::Query(_)), "{q}: {e:?}");
        }
    }
    assert_eq!(found(&index, "-Shikotan").len(), 5);
    assert_eq!(found(&index, "year:[1950 TO 1955]"), set(&["wilson/zh1"]));
    assert_eq!(found(&index, "decade:1960s"), set(&[NOTE]));
    assert_eq!(found(&index, "Shikotan ,"), set(&[MEMO, NOTE, RU]));
    assert_eq!(search(&index, "—, ;").total, 0, "nothing searchable: nothing found (an empty query lists all)");
    let zero = index.search(&SearchRequest { query: "Shikotan".into(), limit: 0, ..Default::default() }).unwrap();
    assert_eq!((zero.total, zero.hits.len()), (3, 0));
}

#[test]
fn index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Index>();
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let index = &index;
    let totals: Vec<usize> = std::thread::scope(|s| {
        let handles = ["Shikotan", "苏联", "островами"]
            .map(|q| s.spawn(move || index.search(&SearchRequest::new(q)).unwrap().total));
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(totals, [3, 1, 1]);
}

#[test]
fn a_second_handle_sees_commits_after_reload() {
    let dir = tempfile::tempdir().unwrap();
    let writer_side = build(dir.path());
    let reader_side = Index::open(dir.path()).unwrap();
    assert_eq!(reader_side.count(), 8);
    let mut w = writer_side.writer().unwrap();
    w.delete(MEMO);
    w.commit().unwrap();
    assert_eq!(reader_side.count(), 8, "not yet reloaded");
    reader_side.reload().unwrap();
    assert_eq!(reader_side.count(), 7);
}

/// Arbitrary strings built from the query language's special characters never panic: they
/// give results or a query error.
#[test]
fn generated_queries_never_panic() {
    const ROUNDS: usize = 3000;
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let pieces = [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "~",
        "~1",
        "*",
        "^",
        "^2",
        ":",
        "+",
        "-",
        "!",
        "\\",
        "/",
        " ",
        " ",
        " AND ",
        " OR ",
        "NOT ",
        "TO",
        "IN",
        ">",
        "<=",
        "title:",
        "person:",
        "year:",
        "date_from:",
        "id:",
        "Shikotan",
        "H[abomai]",
        "островов",
        "色丹",
        "1956",
        "-5",
        "é",
        "'",
        ".",
        ",",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut ok = 0;
    for _ in 0..ROUNDS {
        let n = (next() % 8) as usize + 1;
        let q: String = (0..n).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
        let req = SearchRequest { query: q.clone(), limit: 3, ..Default::default() };
        match index.search(&req) {
            Ok(r) => {
                assert!(r.hits.len() <= 3 && r.total <= 8, "{q}");
                ok += 1;
            }
            Err(IndexError::Query(_)) => {}
            Err(e) => panic!("{q:?}: unexpected error kind {e:?}"),
        }
    }
    assert!(ok > 100, "most generated queries should be valid, got {ok}");

    let bounds =
        ["", " ", "0", "1", "0001", "9999", "-1955", "1955-13", "1955-02-30", "99999999999", "May", "1/1/1", "—"];
    for from in bounds {
        for to in bounds {
            let req = SearchRequest { from: Some(from.into()), to: Some(to.into()), ..Default::default() };
            match index.search(&req) {
                Ok(r) => assert!(r.total <= 8),
                Err(IndexError::Query(_)) => {}
                Err(e) => panic!("{from:?}..{to:?}: {e:?}"),
            }
        }
    }
}

/// Facet counts add up across segments (each commit writes one), and the facet tables follow
/// deletes and replacements.
#[test]
fn facets_add_up_across_segments() {
    let index = Index::open_in_ram().unwrap();
    let docs = corpus();
    let mut w = index.writer().unwrap();
    for (i, d) in docs.iter().enumerate() {
        w.add(d).unwrap();
        if i % 2 == 0 {
            w.commit().unwrap(); // several small segments
        }
    }
    w.commit().unwrap();
    let all = index.search(&SearchRequest::new("")).unwrap();
    assert_eq!(all.total, docs.len());
    assert_eq!(facet(&all, "decade"), pairs(&[("1610s", 1), ("1950s", 5), ("1960s", 1)]));
    assert_eq!(facet(&all, "year"), pairs(&[("1616", 1), ("1955", 1), ("1956", 3), ("1959", 1), ("1960", 1)]));
    let total: u64 = facet(&all, "collection").iter().map(|(_, n)| n).sum();
    assert_eq!(total, docs.len() as u64);
    w.delete("frus1955-57v23p1/d52");
    w.commit().unwrap();
    let after = index.search(&SearchRequest::new("")).unwrap();
    assert_eq!(after.total, docs.len() - 1);
    assert_eq!(facet(&after, "year"), pairs(&[("1616", 1), ("1955", 1), ("1956", 2), ("1959", 1), ("1960", 1)]));
}

/// A term far into a long text is still the snippet's highlight (the window is found by
/// scanning for the stems), and a Russian match, which the ASCII scan cannot see, falls back
/// to the whole text.
#[test]
fn snippets_find_terms_far_into_long_texts() {
    let index = Index::open_in_ram().unwrap();
    let filler = "The delegation discussed routine questions of trade and fisheries. ".repeat(300);
    let long = doc(
        "long/1",
        "A long report",
        Some("en"),
        day(1956, 1, 1),
        WILSON,
        "report",
        vec![para(vec![Inline::text(format!("{filler}Finally the islands of Shikotan were named. {filler}"))])],
    );
    let ru = doc(
        "long/ru",
        "Длинный отчёт",
        Some("ru"),
        day(1956, 1, 2),
        WILSON,
        "report",
        vec![para(vec![Inline::text(format!(
            "{} Передача островов Шикотан.",
            "Обычный текст о торговле. ".repeat(400)
        ))])],
    );
    let mut w = index.writer().unwrap();
    w.add(&long).unwrap();
    w.add(&ru).unwrap();
    w.commit().unwrap();
    let r = index.search(&SearchRequest::new("islands shikotan")).unwrap();
    assert_eq!(ids(&r), set(&["long/1"]));
    let html = &r.hits[0].snippet_html;
    assert!(html.contains("<b>islands</b>") && html.contains("<b>Shikotan</b>"), "{html}");
    let r = index.search(&SearchRequest::new("островами")).unwrap();
    assert_eq!(ids(&r), set(&["long/ru"]));
    assert!(r.hits[0].snippet_html.contains("<b>островов</b>"), "{}", r.hits[0].snippet_html);
}

#[test]
fn subjects_are_multi_valued_facets_filters_and_similarity() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(dir.path()).unwrap();
    let subjects = |people: &[&str], places: &[&str], pairs: &[&str]| Subjects {
        people: people.iter().map(|s| s.to_string()).collect(),
        places: places.iter().map(|s| s.to_string()).collect(),
        country_pairs: pairs.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let given = [
        subjects(&["dulles", "robertson"], &["habomai", "shikotan", "japan"], &["Japan–Soviet Union"]),
        subjects(&["khrushchev"], &["habomai", "shikotan", "japan", "japan"], &[]),
        subjects(&["dulles"], &["japan"], &["Japan–Soviet Union", "Japan–United States"]),
    ];
    let mut w = index.writer().unwrap();
    for (d, s) in corpus().iter().zip(&given) {
        w.add_with_subjects(d, s).unwrap();
    }
    w.commit().unwrap();
    let ids: Vec<String> = corpus().iter().map(|d| d.id.clone()).collect();

    let r = index.search(&SearchRequest { limit: 0, ..Default::default() }).unwrap();
    // a value repeated in one document counts the document once
    assert_eq!(facet(&r, "place"), pairs(&[("japan", 3), ("habomai", 2), ("shikotan", 2)]));
    assert_eq!(facet(&r, "person"), pairs(&[("dulles", 2), ("khrushchev", 1), ("robertson", 1)]));
    assert_eq!(facet(&r, "country_pair"), pairs(&[("Japan–Soviet Union", 2), ("Japan–United States", 1)]));

    let filtered = |f: &[(&str, &str)]| {
        let req = SearchRequest {
            filters: f.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            ..Default::default()
        };
        let mut got: Vec<String> = index.search(&req).unwrap().hits.into_iter().map(|h| h.id).collect();
        got.sort();
        got
    };
    assert_eq!(filtered(&[("person", "khrushchev")]), vec![ids[1].clone()]);
    // alternatives within a facet, all facets at once
    let mut both = vec![ids[0].clone(), ids[1].clone()];
    both.sort();
    assert_eq!(filtered(&[("person", "khrushchev"), ("person", "robertson")]), both);
    assert_eq!(filtered(&[("place", "japan"), ("country_pair", "Japan–United States")]), vec![ids[2].clone()]);

    // sharing rare subjects counts more than sharing common ones
    let similar = index.sharing_subjects(&subjects(&["khrushchev"], &["habomai", "japan"], &[]), None, 3).unwrap();
    assert_eq!(similar[0], ids[1]);
    assert_eq!(similar.len(), 3);
    assert!(index.sharing_subjects(&Subjects::default(), None, 3).unwrap().is_empty());
}

/// Documents that share the same subjects tie on score; the tie is ordered by the documents
/// (nearest in date first, undated last, then a fixed hash of the id), not by where the
/// ingest happened to put them, so the same documents in another order and other segments
/// give the same candidates.
#[test]
fn sharing_subjects_breaks_ties_by_date_then_id_whatever_the_segments() {
    let japan = Subjects { places: vec!["japan".into()], ..Default::default() };
    let docs = corpus();
    let forward = Index::open_in_ram().unwrap();
    let mut w = forward.writer().unwrap();
    for d in &docs {
        w.add_with_subjects(d, &japan).unwrap();
    }
    w.commit().unwrap();
    drop(w);
    let backward = Index::open_in_ram().unwrap();
    let mut w = backward.writer().unwrap();
    for d in docs.iter().rev() {
        w.add_with_subjects(d, &japan).unwrap();
        w.commit().unwrap(); // one segment per document
    }
    drop(w);
    // d52 is dated 1956-08-19
    let near = day(1956, 8, 19).and_then(|d| d.from_days());
    let expected = [
        "frus1955-57v23p1/d52", // the same day
        "wilson/ru1",           // 1956-10-19
        "wilson/ja1",           // 1956-10-20
        "wilson/zh1",           // 1955-06-01
        "frus1958-60v18/d149",  // December 1959
        "frus1958-60v18/d150",  // 1960-01-24
        "venice/it1",           // 1616
        "misc/undated",
    ];
    for index in [&forward, &backward] {
        assert_eq!(index.sharing_subjects(&japan, near, 8).unwrap(), expected);
        // the cut keeps the nearest, not the first indexed
        assert_eq!(index.sharing_subjects(&japan, near, 3).unwrap(), expected[..3]);
    }
    // without a date to be near, the order is the ids' hash: the same in both indexes
    let undated = forward.sharing_subjects(&japan, None, 4).unwrap();
    assert_eq!(undated.len(), 4);
    assert_eq!(backward.sharing_subjects(&japan, None, 4).unwrap(), undated);
    // a deleted document is not a candidate
    let mut w = backward.writer().unwrap();
    w.delete("frus1955-57v23p1/d52");
    w.commit().unwrap();
    assert_eq!(backward.sharing_subjects(&japan, near, 2).unwrap(), expected[1..3]);
}

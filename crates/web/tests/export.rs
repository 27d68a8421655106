//! Exports, multi-document citations, batch lookup and the OpenAPI document (issue 17), on
//! files of the real shared corpus: FRUS 1955–57 XXIII-1 docs. 51 and 52 (TEI), Kennan's Long
//! Telegram, the Wilson Center seed of record 300264, and one Cavriana letter (TEI edition).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use chancery_core::Archive;
use tower::ServiceExt;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");
const FILES: [&str; 4] = [
    "frus/frus1955-57v23p1-excerpt.xml",
    "frus/frus1946v06-d475-kennan.xml",
    "seeds/wilson-center-300264.txt",
    "tei-editions/cavriana/letters/1568-04-06.xml",
];
const D52: &str = "frus1955-57v23p1/d52";
const WILSON: &str = "wilson-center/300264";
const LETTER: &str = "cavriana/letters/1568-04-06";

fn archive() -> Arc<Archive> {
    static ARCHIVE: OnceLock<Arc<Archive>> = OnceLock::new();
    ARCHIVE
        .get_or_init(|| {
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-export");
            if dir.exists() {
                std::fs::remove_dir_all(&dir).expect("remove the previous run's archive");
            }
            let mut archive = Archive::open(&dir).expect("open archive");
            let paths: Vec<PathBuf> = FILES.iter().map(|f| PathBuf::from(CORPUS).join(f)).collect();
            let report = archive.ingest(&paths, &|_| {}).expect("ingest");
            assert!(report.failed.is_empty(), "{:?}", report.failed);
            Arc::new(archive)
        })
        .clone()
}

struct Res {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Res {
    fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

async fn get_with(uri: &str, accept: Option<&str>, sources: bool) -> Res {
    let config = chancery_web::WebConfig {
        source_roots: if sources { vec![PathBuf::from(CORPUS)] } else { Vec::new() },
        ..Default::default()
    };
    let app = chancery_web::router_with(archive(), config);
    let mut req = Request::builder().uri(uri);
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
    Res { status, headers, body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body") }
}

async fn get(uri: &str) -> Res {
    get_with(uri, None, true).await
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The text of an element (every text node below it, in order) and its notes' texts.
fn text_and_notes(el: roxmltree::Node) -> (String, Vec<String>) {
    let text: String = el.descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap_or("")).collect();
    let notes = el
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "note")
        .map(|n| n.descendants().filter(|t| t.is_text()).map(|t| t.text().unwrap_or("")).collect())
        .collect();
    (text, notes)
}

#[tokio::test]
async fn a_frus_documents_tei_is_the_sources_element() {
    let path = PathBuf::from(CORPUS).join(FILES[0]);
    let source = std::fs::read_to_string(&path).unwrap();
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let tree = roxmltree::Document::parse_with_options(&source, opts).unwrap();
    let d52 = tree.descendants().find(|n| n.attribute((XML_NS, "id")) == Some("d52")).unwrap();

    let res = get(&format!("/doc/{D52}.tei.xml")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.content_type().starts_with("application/tei+xml"), "{}", res.content_type());
    // the source's bytes, as they stand
    assert!(res.body.contains(&source[d52.range()]));
    // and a TEI file of its own: well-formed, the element's text and notes the source's
    let exported = roxmltree::Document::parse(&res.body).expect("well-formed TEI");
    assert_eq!(exported.root_element().tag_name().namespace(), Some("http://www.tei-c.org/ns/1.0"));
    let el = exported.descendants().find(|n| n.attribute((XML_NS, "id")) == Some("d52")).unwrap();
    let (text, notes) = text_and_notes(el);
    assert_eq!((text, notes.clone()), text_and_notes(d52));
    assert!(notes.iter().any(|n| n.contains("In telegram 773 from Tokyo")), "{notes:?}");
    // the header says where it came from and how to cite it
    let title = exported.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert!(title.text().unwrap().contains("Robertson"), "{:?}", title.text());
    assert!(res.body.contains("Foreign Relations of the United States, 1955–1957"), "{}", &res.body[..2000]);

    // content negotiation gives the same
    let negotiated = get_with(&format!("/doc/{D52}"), Some("application/tei+xml"), true).await;
    assert_eq!(negotiated.body, res.body);
    // without the source folders the server says why it cannot
    let none = get_with(&format!("/doc/{D52}.tei.xml"), None, false).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.body.contains("--sources"), "{}", none.body);
}

#[tokio::test]
async fn a_letters_tei_is_its_file_and_a_wilson_records_is_made() {
    let letter = get(&format!("/doc/{LETTER}.tei.xml")).await;
    assert_eq!(letter.status, StatusCode::OK, "{}", letter.body);
    let source = std::fs::read_to_string(PathBuf::from(CORPUS).join(FILES[3])).unwrap();
    assert_eq!(letter.body, source);

    let wilson = get(&format!("/doc/{WILSON}.tei.xml")).await;
    assert_eq!(wilson.status, StatusCode::OK, "{}", wilson.body);
    let tei = roxmltree::Document::parse(&wilson.body).expect("well-formed TEI");
    let idno: Vec<&str> = tei.descendants().filter(|n| n.has_tag_name("idno")).filter_map(|n| n.text()).collect();
    assert!(idno.iter().any(|i| i.contains("RGANI")), "{idno:?}");
    let body_text: String = tei.descendants().filter(|n| n.has_tag_name("p")).filter_map(|n| n.text()).collect();
    assert!(body_text.contains("the transfer of H[abomai] and S[hikotan]"), "{body_text}");
}

#[tokio::test]
async fn markdown_and_plain_text_carry_the_citation() {
    let md = get(&format!("/doc/{D52}.md")).await;
    assert_eq!(md.status, StatusCode::OK, "{}", md.body);
    assert!(md.content_type().starts_with("text/markdown"));
    let title = md.body.lines().next().unwrap();
    assert!(title.starts_with("# ") && title.contains("(Robertson)"), "{title}");
    assert!(md.body.contains("- **Date:** "), "{}", &md.body[..800]);
    assert!(md.body.contains("[^6]: In telegram 773 from Tokyo, September 22,"), "{}", md.body);
    let cite = md.body.split("## Cite as\n\n").nth(1).expect("a citation");
    assert!(cite.contains("Foreign Relations of the United States, 1955–1957"), "{cite}");
    assert!(cite.contains("122"), "the pages: {cite}");

    let txt = get(&format!("/doc/{D52}.txt")).await;
    assert_eq!(txt.status, StatusCode::OK);
    assert!(txt.content_type().starts_with("text/plain"));
    assert!(txt.body.contains("[6] In telegram 773 from Tokyo"), "{}", txt.body);
    assert!(txt.body.contains("Cite as\n-------\n\n"));
    assert!(!txt.body.contains("<note"), "no markup in plain text");
    assert_eq!(get_with(&format!("/doc/{D52}"), Some("text/markdown"), true).await.body, md.body);
    // the page offers them
    let page = get(&format!("/doc/{D52}")).await;
    for link in [".tei.xml", ".md", ".txt"] {
        assert!(page.body.contains(&format!("href=\"/doc/{D52}{link}\"")), "{link}");
    }
    assert_eq!(get("/doc/no/such/doc.md").await.status, StatusCode::NOT_FOUND);
}

fn lines(body: &str) -> Vec<serde_json::Value> {
    body.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

#[tokio::test]
async fn collections_searches_and_the_archive_as_json_lines() {
    let all = get("/export.jsonl").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.content_type().starts_with("application/x-ndjson"));
    let docs = lines(&all.body);
    assert_eq!(docs.len() as u64, archive().count().unwrap(), "every document once");
    let d52 = docs.iter().find(|d| d["id"] == D52).expect("d52");
    assert_eq!(d52["page"], format!("http://localhost/doc/{D52}"));
    assert!(d52["citation"].as_str().unwrap().contains("Foreign Relations"), "{}", d52["citation"]);
    assert!(d52["notes"].as_array().unwrap().iter().any(|n| n["text"].as_str().unwrap().contains("telegram 773")));

    let vol = lines(&get("/export.jsonl?collection=frus1955-57v23p1").await.body);
    let mut ids: Vec<&str> = vol.iter().map(|d| d["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["frus1955-57v23p1/d51", D52]);

    let search = lines(&get("/export.jsonl?q=Habomai&sort=date").await.body);
    let ids: Vec<&str> = search.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [D52, WILSON], "the search's hits in its order");
    assert_eq!(lines(&get("/export.jsonl?q=Habomai&sort=date&limit=1").await.body).len(), 1);
    let chosen = lines(&get(&format!("/export.jsonl?id={WILSON}&id={D52}&id=no-such")).await.body);
    assert_eq!(chosen.iter().map(|d| d["id"].as_str().unwrap()).collect::<Vec<_>>(), [WILSON, D52]);
    assert_eq!(get("/export.jsonl?q=Habomai&from=1960&to=1950").await.body, "", "an empty date range: nothing");
    for bad in ["limit=0", "limit=10001", "filter=colour:red"] {
        let res = get(&format!("/export.jsonl?{bad}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn many_documents_as_bibtex_ris_and_csl_json() {
    let bib = get(&format!("/export.bib?id={D52}&id={WILSON}")).await;
    assert!(bib.content_type().starts_with("application/x-bibtex"));
    assert_eq!(bib.body.matches("\n@").count() + usize::from(bib.body.starts_with('@')), 2, "{}", bib.body);
    assert!(bib.body.contains("Foreign Relations of the United States"), "{}", bib.body);
    let ris = get("/export.ris?q=Habomai").await;
    assert_eq!(ris.body.matches("TY  - ").count(), 2, "{}", ris.body);
    assert_eq!(ris.body.matches("ER  - ").count(), 2);
    let csl = get("/export.csl.json?collection=frus1955-57v23p1").await;
    let items: serde_json::Value = serde_json::from_str(&csl.body).expect("one JSON array");
    let titles: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.iter().any(|t| t.contains("Robertson")), "{titles:?}");
    let empty = get("/export.csl.json?q=zzqxv").await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&empty.body).unwrap(), serde_json::json!([]));
}

#[tokio::test]
async fn batch_lookup_by_note_with_csv_and_ris() {
    let apparatus = "1. RGANI, f. 52, op. 1, d. 598\n2. Tokyo telegram 773, September 22, 1955\n3. 661.9429/9–1855\n4. FRUS, 1955–57, vol. XXIII,\n   pt. 1, doc. 52\n5. Nothing zzqxv";
    let q: String = form_urlencoded::Serializer::new(String::new()).append_pair("q", apparatus).finish();
    let res = get(&format!("/api/lookup?{q}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let got: Vec<(Option<&str>, Option<&str>)> =
        v.as_array().unwrap().iter().map(|a| (a["matched"].as_str(), a["document"]["id"].as_str())).collect();
    assert_eq!(
        got,
        [
            (Some("by-archival-reference"), Some(WILSON)),
            // the document that reports telegram 773 (d52's note 6)
            (Some("by-telegram"), Some(D52)),
            (Some("by-file-number"), Some(D52)),
            (Some("exact"), Some(D52)),
            (None, None),
        ],
        "{v}"
    );
    assert_eq!(v[3]["citation"], "FRUS, 1955–57, vol. XXIII, pt. 1, doc. 52", "a note's lines are one citation");

    let csv = get(&format!("/lookup.csv?{q}")).await;
    assert!(csv.content_type().starts_with("text/csv"));
    let rows: Vec<&str> = csv.body.lines().collect();
    assert_eq!(rows[0], "citation,match,document,title,url,candidates");
    assert_eq!(rows.len(), 6);
    assert!(
        rows[1].starts_with(&format!("\"RGANI, f. 52, op. 1, d. 598\",by archival reference,{WILSON},")),
        "{}",
        rows[1]
    );
    assert!(rows[5].starts_with("Nothing zzqxv,no match,,,,"), "{}", rows[5]);

    let ris = get(&format!("/lookup.ris?{q}")).await;
    assert_eq!(ris.body.matches("TY  - ").count(), 2, "each document matched once: {}", ris.body);
    let page = get(&format!("/lookup?{q}")).await;
    assert!(page.body.contains("href=\"/lookup.csv?q="), "the page offers the downloads");
}

#[tokio::test]
async fn the_openapi_document_states_allowed_values_examples_and_statuses() {
    let res = get("/api/openapi.json").await;
    let spec: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let op = |path: &str, method: &str| spec["paths"][path][method].clone();
    let param = |path: &str, name: &str| {
        op(path, "get")["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path}: no {name}"))
            .clone()
    };
    // allowed values, from the parsers' own lists
    let sorts = param("/api/search", "sort")["schema"]["enum"].clone();
    assert_eq!(sorts, serde_json::json!(["", "relevance", "date", "date-asc", "date-desc"]));
    let filter = param("/api/search", "filter");
    assert!(filter["schema"]["items"]["pattern"].as_str().unwrap().starts_with("^(decade|year|collection|"));
    // a number in its range, or empty (not given)
    let size = param("/api/search", "size")["schema"]["oneOf"].clone();
    assert_eq!(
        (size[0]["minimum"].as_u64(), size[0]["maximum"].as_u64(), size[1]["enum"][0].as_str()),
        (Some(1), Some(100), Some(""))
    );
    assert_eq!(param("/api/issue/{id}", "status")["schema"]["enum"][4], "all");
    assert_eq!(param("/api/positions", "issue")["schema"]["enum"][1], "habomai-shikotan");
    assert!(param("/api/timeline", "from")["schema"]["pattern"].is_string());
    // every path parameter has an example the archive holds (or, for ledger ids, a real id)
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, o) in item.as_object().unwrap() {
            for p in o["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
                assert!(p["example"].is_string(), "{method} {path}: {p}");
            }
            assert!(o["responses"].as_object().unwrap().contains_key("200") || method == "post", "{method} {path}");
        }
    }
    let d52 = get(&format!("/api/doc/{}", param("/api/doc/{id}", "id")["example"].as_str().unwrap())).await;
    assert_eq!(d52.status, StatusCode::OK);
    // the statuses a route can answer
    let csv = op("/issue/{id}/ledger.csv", "get");
    assert!(csv["responses"]["400"].is_object(), "{csv}");
    assert!(op("/api/positions", "post")["responses"]["422"].is_object());
    assert!(op("/export.jsonl", "get")["responses"]["200"]["content"]["application/x-ndjson"].is_object());

    // every value the document allows is accepted: an empty range or a deep page finds nothing
    let v: serde_json::Value =
        serde_json::from_str(&get("/api/search?q=Habomai&from=1960&to=1950").await.body).unwrap();
    assert_eq!(v["total"], 0);
    assert!(v["notes"][0].as_str().unwrap().contains("the date range is empty"), "{v}");
    let deep = get("/api/search?q=Habomai&page=10000").await;
    assert_eq!(deep.status, StatusCode::OK, "{}", deep.body);
    let v: serde_json::Value = serde_json::from_str(&deep.body).unwrap();
    assert_eq!((v["total"].as_u64(), v["hits"].as_array().unwrap().len()), (Some(2), 0));
    assert!(v["notes"][0].as_str().unwrap().contains("too deep"), "{v}");
    assert_eq!(get("/api/search?sort=best").await.status, StatusCode::BAD_REQUEST);
}

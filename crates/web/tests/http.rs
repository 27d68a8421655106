//! HTTP-level tests of the reading room: the router is called in process with `oneshot`,
//! over the archive of `common` (the real shared corpus plus one hostile TEI letter).

mod common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use tower::ServiceExt;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; \
                   base-uri 'none'; frame-ancestors 'none'";

struct Res {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Res {
    fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn json(&self) -> serde_json::Value {
        assert!(self.content_type().starts_with("application/json"), "content type {}", self.content_type());
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn request(method: Method, uri: &str) -> Res {
    let app = chancery_web::router(common::archive());
    let res = app.oneshot(Request::builder().method(method).uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 16 << 20).await.unwrap();
    let res = Res { status, headers, body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body") };
    // Every response, whatever its status, carries the security headers.
    assert_eq!(res.headers.get("content-security-policy").map(|v| v.to_str().unwrap()), Some(CSP), "{uri}");
    assert_eq!(res.headers.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{uri}");
    assert_eq!(res.headers.get("referrer-policy").map(|v| v.to_str().unwrap()), Some("same-origin"), "{uri}");
    res
}

async fn get(uri: &str) -> Res {
    request(Method::GET, uri).await
}

/// The HTML of one element-ish region: from `start` to the next `end` after it.
fn region<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("{start:?} not in page"));
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The text of some HTML: tags dropped, entities for quotes and brackets decoded, whitespace
/// collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn no_inline_script_or_style(html: &str) {
    assert!(!html.contains(" style="), "inline style attribute");
    assert!(!html.contains("<style"), "inline style element");
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        assert!(tag.contains("src=\"/static/app.js\""), "inline script: {tag}");
    }
}

#[tokio::test]
async fn home_lists_collections_with_counts() {
    let api = get("/api/collections").await.json();
    let frus = api.as_array().unwrap().iter().find(|c| c["id"] == "frus1955-57v23p1").expect("FRUS collection");
    let count = frus["count"].as_u64().unwrap();
    // Documents 51 and 52 of the TEI excerpt, and the plain-text witness of 52.
    assert_eq!(count, 3);

    let res = get("/").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.content_type().starts_with("text/html"));
    let row = region(&res.body, "href=\"/collection/frus1955-57v23p1\"", "</tr>");
    assert!(row.contains("<code class=\"id\">frus1955-57v23p1</code>"), "{row}");
    assert!(row.contains(&format!("<td class=\"num\">{count}</td>")), "{row}");
    assert!(row.contains("1955 – 1957") || row.contains("1955"), "{row}");
    // Landmarks, skip link and labelled search box.
    for needle in ["<header", "<nav", "<main id=\"main\"", "<footer", "href=\"#main\"", "<label for=\"q\">"] {
        assert!(res.body.contains(needle), "{needle} missing");
    }
    // The lede counts every stored document (the archive's count, including documents in
    // no collection), pluralized.
    let total = common::archive().count().unwrap();
    assert!(res.body.contains(&format!(", {total} documents in all")), "{}", res.body);
    assert!(!res.body.contains(" 1 documents"), "{}", res.body);
    // Recently added: the newest stored documents, linked, newest first.
    let recent = region(&res.body, "<h2 id=\"recent-h\">Recently added</h2>", "</ol>");
    let listed = recent.matches("<li>").count();
    assert_eq!(listed, total.min(8) as usize, "{recent}");
    let newest = common::archive().recent(1).unwrap();
    assert!(recent.contains(&format!("href=\"/doc/{}\"", newest[0].id)), "{recent}");
    no_inline_script_or_style(&res.body);
}

#[tokio::test]
async fn search_ranks_hits_with_snippets_and_facets() {
    let res = get("/search?q=Habomai").await;
    assert_eq!(res.status, StatusCode::OK);
    let body = &res.body;
    assert!(body.contains("href=\"/doc/frus1955-57v23p1/d52?back=%2Fsearch%3Fq%3DHabomai\""), "{body}");
    assert!(body.contains("href=\"/doc/wilson-center/300264?back="), "{body}");
    // A decade facet whose link adds the filter to this search.
    let facets = region(body, "<aside class=\"facets\"", "</aside>");
    assert!(facets.contains("1950s"), "{facets}");
    assert!(facets.contains("href=\"/search?q=Habomai&amp;filter=decade%3A1950s\""), "{facets}");
    assert!(facets.contains("href=\"/search?q=Habomai&amp;filter=decade%3A1960s\""), "{facets}");
    // Snippets keep <b> highlights and nothing else.
    assert!(body.contains("<b>"), "no highlight in {body}");
    // Sort links preserve the query.
    assert!(body.contains("href=\"/search?q=Habomai&amp;sort=date\""), "{body}");
    // Dates and collection fold away while unset; facet counts are pluralized.
    assert!(body.contains("<details class=\"advanced\"><summary>"), "{body}");
    assert!(facets.contains("1 document\""), "{facets}");
    assert!(!body.contains("1 documents"), "{body}");
    no_inline_script_or_style(body);
}

#[tokio::test]
async fn submitted_forms_redirect_to_the_canonical_search() {
    let res = get("/search?q=Habomai&from=&to=&collection=").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.headers.get(header::LOCATION).unwrap(), "/search?q=Habomai");
    let res = get("/search?q=").await;
    assert_eq!(res.headers.get(header::LOCATION).unwrap(), "/search");
    // A bad request is not redirected but answered.
    assert_eq!(get("/search?q=x&from=&to=nope").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn facet_filters_narrow_and_can_be_removed() {
    let res = get("/search?q=Habomai&filter=decade:1960s").await;
    assert_eq!(res.status, StatusCode::OK);
    let results = region(&res.body, "<section class=\"results\"", "</section>");
    assert!(results.contains("/doc/wilson-center/300264"), "{results}");
    assert!(!results.contains("/doc/frus1955-57v23p1/d52"), "{results}");
    assert!(results.contains("1 result"), "{results}");
    assert!(!results.contains("1 results"), "{results}");
    // The active filter links back to the unfiltered search.
    assert!(res.body.contains("href=\"/search?q=Habomai\""), "no remove link");

    // Values of one field are alternatives; different fields must all hold.
    let res = get("/search?q=Habomai&filter=decade:1950s&filter=decade:1960s").await;
    assert!(res.body.contains("/doc/wilson-center/300264") && res.body.contains("/doc/frus1955-57v23p1/d52"));
    let res = get("/search?q=Habomai&filter=decade:1960s&filter=collection:frus1955-57v23p1").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("No results"), "{}", res.body);
    assert!(res.body.contains("without filters"), "no-results suggestion missing");
    // With a collection set, the folded fields are open.
    let res = get("/search?q=Habomai&collection=frus1955-57v23p1").await;
    assert!(res.body.contains("<details class=\"advanced\" open><summary>"), "{}", res.body);
}

#[tokio::test]
async fn document_page_has_metadata_notes_pages_and_citation() {
    let res = get("/doc/frus1955-57v23p1/d52?back=%2Fsearch%3Fq%3DHabomai").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let body = &res.body;
    for needle in [
        "Memorandum From the Assistant Secretary of State for Far Eastern Affairs (Robertson) to the Secretary of State",
        "September 18, 1955",
        "Secret",
        "661.9429/9–1855",
        "href=\"#fn-4\"",
        "id=\"fnref-4\"",
        "id=\"fn-4\"",
        "href=\"#fnref-4\"",
        "id=\"pg-122\"",
        "p. 122",
        "Document 52",
    ] {
        assert!(body.contains(needle), "{needle:?} missing");
    }
    // Footnote 4 reads in place, its person mention marked.
    let note4 = region(body, "<li id=\"fn-4\"", "</li>");
    assert!(text_of(note4).contains("As modified by Dulles, in telegram 609"), "{note4}");
    assert!(note4.contains("class=\"person\""), "{note4}");
    // The margin copy of note 4 has an id of its own, and the long note a link to the whole.
    let sn4 = region(body, "<span class=\"sidenote", "</span></span>");
    assert!(body.contains("id=\"sn-4\""), "{sn4}");
    assert!(body.contains("class=\"sn-more\" href=\"#fn-4\" tabindex=\"-1\""), "no link from the cut note");
    // The essentials stay in view; the rest is folded away, closed, with the mentions'
    // identifications listed for every reader.
    let head = region(body, "<header class=\"doc-head\"", "</header>");
    let essentials = region(head, "<dl class=\"meta essentials\"", "</dl>");
    for needle in ["Date", "Place", "Classification", "Collection"] {
        assert!(essentials.contains(&format!("<dt>{needle}</dt>")), "{needle} missing from {essentials}");
    }
    assert!(!essentials.contains("Context") && !essentials.contains("Identifier"), "{essentials}");
    assert!(head.contains("<details class=\"more-meta\"><summary>More about this document</summary>"), "{head}");
    let people = text_of(region(head, "<ul class=\"mentions\"", "</ul>"));
    assert!(
        people.contains("Robertson — Robertson, Walter S., Assistant Secretary of State for Far Eastern Affairs"),
        "{people}"
    );
    assert!(people.contains("NA — Office of Northeast Asian Affairs, Department of State"), "{people}");
    assert_eq!(people.matches("Robertson —").count(), 1, "mentions are listed once: {people}");
    // The source note and its archival reference, parsed.
    let sources = region(body, "<section class=\"sources\"", "</section>");
    assert!(sources.contains("<dt>File number</dt><dd>661.9429/9–1855</dd>"), "{sources}");
    assert!(sources.contains("<dt>Repository</dt><dd>Department of State</dd>"), "{sources}");
    // Back to the search the reader came from.
    assert!(body.contains("<a href=\"/search?q=Habomai\">← Back to search results</a>"), "no back link");
    // The citation names the volume, in italics, and the document number.
    let cite = region(body, "<p class=\"citation\">", "</p>");
    assert!(cite.contains("September 18, 1955, in <cite>Foreign Relations of the United States"), "{cite}");
    assert!(cite.ends_with("doc. 52."), "{cite}");
    // Previous and next follow the volume's date order (51 of September 13, 52 of September
    // 18, then the undated plain-text witness of 52 last); the back parameter is carried.
    let nav = region(body, "<nav class=\"prevnext\"", "</nav>");
    assert!(nav.contains("href=\"/doc/frus1955-57v23p1/d51?back=%2Fsearch%3Fq%3DHabomai\" rel=\"prev\""), "{nav}");
    assert!(nav.contains("Telegram From the Embassy in Japan to the Department of State"), "{nav}");
    assert!(
        nav.contains("href=\"/doc/seeds/frus1955-57v23p1-d52?back=%2Fsearch%3Fq%3DHabomai\" rel=\"next\""),
        "{nav}"
    );
    let d51 = get("/doc/frus1955-57v23p1/d51").await;
    let nav = region(&d51.body, "<nav class=\"prevnext\"", "</nav>");
    assert!(!nav.contains("rel=\"prev\""), "{nav}");
    assert!(nav.contains("href=\"/doc/frus1955-57v23p1/d52\" rel=\"next\""), "{nav}");
    no_inline_script_or_style(body);
}

#[tokio::test]
async fn translation_credits_translator_and_original_language() {
    let res = get("/doc/wilson-center/300264").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Allison Smith"));
    assert!(res.body.contains("Russian (ru)"), "original language missing");
    assert!(res.body.contains("Translated from Russian by Allison Smith."), "{}", res.body);
    assert!(res.body.contains("January 24, 1960"));
    let cite = region(&res.body, "<p class=\"citation\">", "</p>");
    assert!(cite.contains("Wilson Center Digital Archive, RGANI, f. 52, op. 1, d. 598, ll. 61."), "{cite}");
}

#[tokio::test]
async fn collection_page_lists_contents_in_date_order() {
    let res = get("/collection/frus1955-57v23p1").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let d51 = res.body.find("href=\"/doc/frus1955-57v23p1/d51\"").expect("d51 listed");
    let d52 = res.body.find("href=\"/doc/frus1955-57v23p1/d52\"").expect("d52 listed");
    assert!(d51 < d52);
    assert!(res.body.contains("<td class=\"num\">52</td>"));
    assert_eq!(get("/collection/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_ids_are_404_pages() {
    let res = get("/doc/nope").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.content_type().starts_with("text/html"));
    assert!(res.body.contains("<h1>Not found</h1>") && res.body.contains("nope"));
    let res = get("/no/such/page").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.content_type().starts_with("text/html"));
}

#[tokio::test]
async fn bad_parameters_are_400_never_500() {
    for (uri, message) in [
        ("/search?q=x&from=notadate", "notadate"),
        ("/search?q=x&to=1955-13-01", "not a date"),
        ("/search?q=x&sort=best", "sort"),
        ("/search?q=x&size=101", "page size"),
        ("/search?q=x&page=0", "page"),
        ("/search?q=x&filter=colour:red", "unknown field"),
        ("/search?q=x&from=1960&to=1955", "empty"),
        ("/search?q=title%3A%28", ""),
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{uri}: {}", res.body);
        assert!(res.content_type().starts_with("text/html"));
        assert!(res.body.contains(message), "{uri}: {message:?} not in {}", res.body);
    }
    // A search that cannot run is shown again in the form, with the reason, to be corrected.
    let res = get("/search?q=title%3A%28&filter=decade:1950s").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("role=\"alert\""));
    assert!(res.body.contains("<input id=\"q\" type=\"search\" name=\"q\" value=\"title:(\""), "{}", res.body);
    assert!(res.body.contains("<input type=\"hidden\" name=\"filter\" value=\"decade:1950s\">"));
    // An id that is not UTF-8 once decoded.
    let res = get("/doc/%FF%FE").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.content_type().starts_with("text/html"));
    let long = format!("/search?q={}", "a".repeat(501));
    let res = get(&long).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("too long"));
    // Only GET and HEAD.
    assert_eq!(request(Method::POST, "/search?q=x").await.status, StatusCode::METHOD_NOT_ALLOWED);
    let head = request(Method::HEAD, "/").await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn api_search_doc_and_collections() {
    let res = get("/api/search?q=Habomai").await;
    assert_eq!(res.status, StatusCode::OK);
    let v = res.json();
    assert!(v["total"].as_u64().unwrap() >= 2, "{v}");
    let ids: Vec<&str> = v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"frus1955-57v23p1/d52") && ids.contains(&"wilson-center/300264"), "{ids:?}");
    assert!(v["facets"]["decade"].as_array().unwrap().iter().any(|f| f["value"] == "1950s"));

    let res = get("/api/doc/frus1955-57v23p1/d52").await;
    assert_eq!(res.status, StatusCode::OK);
    let d = res.json();
    assert_eq!(d["number"], "52");
    assert_eq!(d["id"], "frus1955-57v23p1/d52");

    let res = get("/api/doc/nope").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.json()["error"].as_str().unwrap().contains("nope"));

    let res = get("/api/search?q=x&size=1000").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.json()["error"].as_str().unwrap().contains("page size"));
    let res = get("/api/search?q=title%3A%28").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.json()["error"].is_string());
    assert_eq!(get("/api/nothing").await.json()["error"].as_str().map(|s| s.contains("/api/nothing")), Some(true));
}

#[tokio::test]
async fn openapi_lists_the_api() {
    let res = get("/api/openapi.json").await;
    assert_eq!(res.status, StatusCode::OK);
    let v = res.json();
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    let paths = v["paths"].as_object().unwrap();
    for p in ["/api/search", "/api/doc/{id}", "/api/collections"] {
        assert!(paths.contains_key(p), "{p} missing from {:?}", paths.keys().collect::<Vec<_>>());
    }
    let params = v["paths"]["/api/search"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "filter"));
}

#[tokio::test]
async fn document_text_is_escaped() {
    let hits = get("/api/search?q=XSS").await.json();
    let id = hits["hits"][0]["id"].as_str().expect("the XSS letter is found").to_string();
    let res = get(&format!("/doc/{id}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", res.body);
    assert!(res.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!res.body.contains("<script>alert"));
    assert!(!res.body.contains("<img src=x"));
    // The search page shows the title and snippet escaped as well.
    let res = get("/search?q=XSS").await;
    assert!(!res.body.contains("<script>alert") && !res.body.contains("<img src=x"), "{}", res.body);
    assert!(res.body.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn static_assets_are_served() {
    let css = get("/static/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type().starts_with("text/css"));
    assert!(css.body.contains("font-family"));
    let js = get("/static/app.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.content_type().starts_with("text/javascript"));
}

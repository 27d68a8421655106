//! Citations of real documents of the shared corpus.

use chancery_cite::{csl_json, render, Kind, Record, Style};
use chancery_model::Document;
use std::path::Path;

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus"))
}

fn read(rel: &str, id: &str) -> Document {
    let path = corpus().join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let input = chancery_read::Input { path: &path, rel_path: rel, bytes: &bytes };
    let docs = chancery_read::read(&input).unwrap_or_else(|e| panic!("{rel}: {e}"));
    docs.into_iter().find(|d| d.id == id).unwrap_or_else(|| panic!("{id} not in {rel}"))
}

fn d52() -> Record {
    Record::of(&read("frus/frus1955-57v23p1-excerpt.xml", "frus1955-57v23p1/d52"))
}

fn wilson() -> Record {
    Record::of(&read("seeds/wilson-center-300264.txt", "wilson-center/300264"))
}

#[test]
fn d52_is_a_book_section_of_its_volume() {
    let r = d52();
    assert_eq!(r.kind, Kind::BookSection);
    assert_eq!(r.authors.iter().map(|n| n.inverted()).collect::<Vec<_>>(), ["Robertson, Walter S."]);
    assert_eq!(r.editors.iter().map(|n| n.inverted()).collect::<Vec<_>>(), ["Mabon, David W."]);
    assert_eq!(r.container_title.as_deref(), Some("Foreign Relations of the United States, 1955–1957, Japan"));
    assert_eq!(r.volume.as_deref(), Some("XXIII, Part 1"));
    assert_eq!(r.number.as_deref(), Some("52"));
    assert_eq!(r.pages.as_ref().map(|p| p.range()).as_deref(), Some("122–123"));
    assert_eq!(r.publisher.as_deref(), Some("United States Government Printing Office"));
    assert_eq!((r.publisher_place.as_deref(), r.published), (Some("Washington"), Some(1991)));
    assert_eq!(r.date.map(|d| d.iso()).as_deref(), Some("1955-09-18"));
    assert_eq!(r.url.as_deref(), Some("https://history.state.gov/historicaldocuments/frus1955-57v23p1/d52"));
    let item = csl_json(&r, None);
    assert_eq!(item["type"], "chapter");
    assert_eq!(item["page"], "122–123");
    assert_eq!(item["issued"]["date-parts"][0][0], 1991);
}

#[test]
fn d52_in_every_style() {
    let r = d52();
    let note = render(&r, None, Style::ChicagoNote).unwrap().text;
    assert_eq!(
        note,
        "Walter S. Robertson, “Memorandum from the Assistant Secretary of State for Far Eastern Affairs \
         (Robertson) to the Secretary of State, Washington, September 18, 1955,” in Foreign Relations of the \
         United States, 1955–1957, Japan, ed. David W. Mabon, vol. XXIII, Part 1, Foreign Relations of the \
         United States (Washington: United States Government Printing Office, 1991), 122–23, \
         https://history.state.gov/historicaldocuments/frus1955-57v23p1/d52."
    );
    let short = render(&r, None, Style::ChicagoShortNote).unwrap().text;
    assert!(short.starts_with("Robertson, “Memorandum from the Assistant Secretary"), "{short}");
    assert!(short.len() < note.len() / 2, "{short}");
    let bib = render(&r, None, Style::ChicagoBibliography).unwrap();
    assert!(bib.text.starts_with("Robertson, Walter S. “Memorandum from"), "{}", bib.text);
    assert!(bib.html.contains("<i>Foreign Relations of the United States, 1955–1957, Japan</i>"), "{}", bib.html);
    let mla = render(&r, None, Style::Mla).unwrap().text;
    assert!(mla.contains("pp. 122–23") && mla.contains("edited by David W. Mabon"), "{mla}");
    let apa = render(&r, None, Style::Apa).unwrap().text;
    assert!(apa.starts_with("Robertson, W. S. (1991).") && apa.contains("pp. 122–123"), "{apa}");
}

#[test]
fn wilson_record_keeps_archive_translator_and_contributor() {
    let r = wilson();
    assert_eq!(r.kind, Kind::Manuscript);
    assert_eq!(r.archive.as_deref(), Some("RGANI"));
    assert_eq!(r.archive_location.as_deref(), Some("f. 52, op. 1, d. 598, ll. 61"));
    assert_eq!(
        r.credit().as_deref(),
        Some("Contributed by Sergey Radchenko and translated from Russian by Allison Smith.")
    );
    assert_eq!(r.url.as_deref(), Some("https://digitalarchive.wilsoncenter.org/document/300264"));
    let item = csl_json(&r, None);
    assert_eq!(item["type"], "manuscript");
    assert_eq!(item["issued"]["date-parts"][0], serde_json::json!([1960, 1, 24]));
    let note = render(&r, None, Style::ChicagoNote).unwrap();
    assert!(note.text.starts_with("“Comrade N.S. Khrushchev's Note on a Memorandum to Japan,”"), "{}", note.text);
    assert!(note.text.contains("RGANI") && note.text.contains("f. 52, op. 1, d. 598"), "{}", note.text);
    // text from the document is escaped in the HTML form
    assert!(note.html.contains("Khrushchev&#39;s"), "{}", note.html);
}

#[test]
fn d52_meta_tags_make_a_zotero_book_section() {
    let tags = chancery_cite::meta_tags(&d52(), Some("http://127.0.0.1:8080/doc/frus1955-57v23p1/d52"));
    let get = |n: &str| tags.iter().filter(|(k, _)| *k == n).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
    assert_eq!(get("citation_inbook_title"), ["Foreign Relations of the United States, 1955–1957, Japan"]);
    assert_eq!(get("citation_author"), ["Robertson, Walter S."]);
    assert_eq!(get("citation_editor"), ["Mabon, David W."]);
    assert_eq!(get("citation_volume"), ["XXIII, Part 1"]);
    assert_eq!((get("citation_firstpage"), get("citation_lastpage")), (vec!["122"], vec!["123"]));
    assert_eq!(get("citation_date"), ["1991"]);
    assert_eq!(get("eprints.place_of_pub"), ["Washington"]);
    assert_eq!(get("citation_series_title"), ["Foreign Relations of the United States"]);
    // nothing that would make Zotero read the page as another type
    assert!(get("z.itemType").is_empty() && get("citation_journal_title").is_empty());
}

#[test]
fn wilson_meta_tags_make_a_manuscript_with_its_people() {
    let tags = chancery_cite::meta_tags(&wilson(), Some("http://127.0.0.1:8080/doc/wilson-center/300264"));
    let get = |n: &str| tags.iter().filter(|(k, _)| *k == n).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
    assert_eq!(get("z.itemType"), ["manuscript"]);
    assert_eq!(get("z.translators"), ["Smith, Allison"]);
    assert_eq!(get("eprints.contributors_name"), ["Radchenko, Sergey"]);
    assert_eq!(get("DC.coverage"), ["RGANI, f. 52, op. 1, d. 598, ll. 61"]);
    assert_eq!(get("citation_date"), ["1960-01-24"]);
}

#[test]
fn bibtex_and_ris_of_d52_and_wilson() {
    use chancery_cite::{bibtex, ris, Bib};
    let b = bibtex(&d52(), None, Bib::BibTeX);
    assert!(b.starts_with("@incollection{frus1955-57v23p1-d52,"), "{b}");
    for field in
        ["author = {Robertson, Walter S.}", "editor = {Mabon, David W.}", "pages = {122--123}", "year = {1991}"]
    {
        assert!(b.contains(field), "{field} not in {b}");
    }
    let w = bibtex(&wilson(), None, Bib::BibLaTeX);
    assert!(w.starts_with("@unpublished{wilson-center-300264,"), "{w}");
    assert!(w.contains("translator = {Smith, Allison}") && w.contains("date = {1960-01-24}"), "{w}");
    let r = ris(&d52(), None);
    assert!(r.starts_with("TY  - CHAP\r\n"), "{r}");
    for line in ["AU  - Robertson, Walter S.", "ED  - Mabon, David W.", "SP  - 122", "EP  - 123", "VL  - XXIII, Part 1"]
    {
        assert!(r.lines().any(|l| l == line), "{line} not in {r}");
    }
    assert!(r.ends_with("ER  - \r\n"));
    let r = ris(&wilson(), None);
    for line in [
        "TY  - MANSCPT",
        "AV  - f. 52, op. 1, d. 598, ll. 61",
        "AN  - RGANI",
        "A4  - Smith, Allison",
        "DA  - 1960/01/24/",
    ] {
        assert!(r.lines().any(|l| l == line), "{line} not in {r}");
    }
}

#[test]
fn a_letters_meta_tags_name_writer_and_recipient_for_zotero() {
    let path = "tei-editions/cavriana/letters/1568-04-06.xml";
    let d = read(path, "tei-editions/cavriana/letters/1568-04-06");
    let r = Record::of(&d);
    assert_eq!(r.kind, Kind::Letter);
    let tags = chancery_cite::meta_tags(&r, None);
    let get = |n: &str| tags.iter().filter(|(k, _)| *k == n).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
    assert_eq!(get("z.itemType"), ["letter"]);
    assert_eq!(get("DC.creator"), ["Cavriana, Filippo"]);
    assert!(!get("z.recipients").is_empty(), "{tags:?}");
    // Highwire authors would make Zotero drop the recipient
    assert!(get("citation_author").is_empty(), "{tags:?}");
    assert_eq!(get("citation_date"), ["1568-04-06"]);
}

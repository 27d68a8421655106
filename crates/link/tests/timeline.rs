//! The timeline SVG: rendered from the real corpus, parsed back, and checked for links,
//! order, ticks, intervals, lanes, colours and escaping.

mod common;

use chancery_link::timeline::{archive_colour, items_sorted, svg, ticks, SvgOptions, TickUnit, TimelineItem};
use chancery_model::Document;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The six documents of the seeds' story and its neighbours (`common::FILES`).
fn corpus() -> Vec<Document> {
    let docs = common::fixtures();
    assert_eq!(docs.len(), 6, "{:?}", docs.iter().map(|d| &d.id).collect::<Vec<_>>());
    docs
}

fn links<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.has_tag_name((SVG_NS, "a"))).collect()
}

fn link_by_id<'a>(doc: &'a roxmltree::Document<'a>, id: &str) -> roxmltree::Node<'a, 'a> {
    links(doc).into_iter().find(|n| n.attribute("data-id") == Some(id)).unwrap_or_else(|| panic!("no link for {id}"))
}

/// The x of an item's start: a dot's centre or a bar's left edge.
fn start_x(link: roxmltree::Node) -> f64 {
    let shape = link
        .children()
        .find(|c| c.has_tag_name((SVG_NS, "circle")) || c.has_tag_name((SVG_NS, "rect")))
        .expect("a shape");
    shape.attribute("cx").or(shape.attribute("x")).unwrap().parse().unwrap()
}

fn centre_y(link: roxmltree::Node) -> f64 {
    let shape =
        link.children().find(|c| c.has_tag_name((SVG_NS, "circle")) || c.has_tag_name((SVG_NS, "rect"))).unwrap();
    match shape.attribute("cy") {
        Some(cy) => cy.parse().unwrap(),
        None => shape.attribute("y").unwrap().parse::<f64>().unwrap() + 5.0,
    }
}

fn text_of(doc: &roxmltree::Document, tag: &str) -> String {
    doc.descendants().find(|n| n.has_tag_name((SVG_NS, tag))).and_then(|n| n.text()).unwrap_or("").to_string()
}

#[test]
fn corpus_timeline_links_order_ticks_and_exclusions() {
    let docs = corpus();
    let items = items_sorted(&docs, |d| format!("/doc/{}", d.id));
    let dated = docs.iter().filter(|d| d.date.is_some()).count();
    let undated: Vec<&str> = docs.iter().filter(|d| d.date.is_none()).map(|d| d.id.as_str()).collect();
    assert_eq!(dated, 4, "d51, d52, Kennan, 300264");
    // the seed transcription of d52 (dated at ingest, from its file number) and the transcript
    assert_eq!(undated, ["seeds/frus1955-57v23p1-d52", "wilson-center/transcript/33548"]);
    // Sorted: dated by date first, undated last.
    let firsts: Vec<Option<&str>> = items.iter().map(|i| i.from.as_deref()).collect();
    assert_eq!(firsts[0], Some("1946-02-22"), "Kennan first");
    assert!(items[dated..].iter().all(|i| i.from.is_none()));

    let out = svg(&items, &SvgOptions { title: "Timeline: corpus".into(), ..Default::default() });
    if let Ok(path) = std::env::var("CHANCERY_TIMELINE_SVG") {
        std::fs::write(path, &out).unwrap(); // for looking at it
    }
    let xml = roxmltree::Document::parse(&out).expect("well-formed SVG");
    let root = xml.root_element();
    assert!(root.has_tag_name((SVG_NS, "svg")));
    assert_eq!(root.attribute("aria-labelledby"), Some("timeline-title timeline-desc"));
    assert_eq!(text_of(&xml, "title"), "Timeline: corpus");

    // One link per dated document, to its page.
    let ls = links(&xml);
    assert_eq!(ls.len(), dated);
    for id in ["frus1946v06/d475", "frus1955-57v23p1/d51", "frus1955-57v23p1/d52", "wilson-center/300264"] {
        assert_eq!(link_by_id(&xml, id).attribute("href"), Some(format!("/doc/{id}").as_str()));
    }
    // Left to right by date: 1946-02-22 < 1955-09-13 < 1955-09-18 < 1960-01-24.
    let x = |id: &str| start_x(link_by_id(&xml, id));
    assert!(x("frus1946v06/d475") < x("frus1955-57v23p1/d51"));
    assert!(x("frus1955-57v23p1/d51") < x("frus1955-57v23p1/d52"));
    assert!(x("frus1955-57v23p1/d52") < x("wilson-center/300264"), "1955-09-18 is left of 1960-01-24");
    // d51 and d52 are five days apart: on this scale they would collide, so two lanes.
    assert_ne!(centre_y(link_by_id(&xml, "frus1955-57v23p1/d51")), centre_y(link_by_id(&xml, "frus1955-57v23p1/d52")));
    // Tooltips carry title and the date as printed.
    let tip = link_by_id(&xml, "frus1955-57v23p1/d52").children().find(|c| c.has_tag_name((SVG_NS, "title"))).unwrap();
    assert!(tip.text().unwrap().contains("September 18, 1955"));

    // Ticks adapt to the 14-year span: every other year.
    let axis = xml.descendants().find(|n| n.attribute("class") == Some("axis")).unwrap();
    assert_eq!(axis.attribute("data-unit"), Some("year"));
    let labels: Vec<&str> =
        axis.descendants().filter(|n| n.attribute("class") == Some("tick")).filter_map(|n| n.text()).collect();
    assert_eq!(labels, ["1946", "1948", "1950", "1952", "1954", "1956", "1958", "1960"]);

    // Undated documents are not drawn, but counted and named.
    let desc = text_of(&xml, "desc");
    assert!(desc.contains(&format!("{} undated documents excluded", undated.len())), "{desc}");
    for id in &undated {
        assert!(desc.contains(id), "{id} in {desc}");
    }
    assert!(desc.starts_with(&format!("{dated} documents by date from 1946-02-22 to 1960-01-24")), "{desc}");

    // Colours by archive, with a legend.
    let fill = |id: &str| {
        link_by_id(&xml, id)
            .children()
            .find(|c| c.attribute("fill").is_some())
            .unwrap()
            .attribute("fill")
            .unwrap()
            .to_string()
    };
    assert_eq!(fill("frus1955-57v23p1/d52"), archive_colour("FRUS"));
    assert_eq!(fill("wilson-center/300264"), archive_colour("Wilson Center Digital Archive"));
    assert_ne!(archive_colour("FRUS"), archive_colour("Wilson Center Digital Archive"));
    let legend: Vec<&str> = xml
        .descendants()
        .find(|n| n.attribute("class") == Some("legend"))
        .unwrap()
        .descendants()
        .filter_map(|n| if n.has_tag_name((SVG_NS, "text")) { n.text() } else { None })
        .collect();
    assert!(legend.contains(&"FRUS (3)"), "{legend:?}");
    assert!(legend.contains(&"Wilson Center Digital Archive (1)"), "{legend:?}");
    // No style element or script: fit for a strict CSP.
    assert!(!xml.descendants().any(|n| n.has_tag_name((SVG_NS, "style")) || n.has_tag_name((SVG_NS, "script"))));
}

fn item(id: &str, title: &str, from: &str, to: &str, archive: &str) -> TimelineItem {
    TimelineItem {
        id: id.into(),
        title: title.into(),
        href: format!("/doc/{id}"),
        archive: archive.into(),
        from: Some(from.into()),
        to: Some(to.into()),
        date_text: from.into(),
        inferred: false,
    }
}

#[test]
fn all_text_is_escaped() {
    let nasty = r#"<script>alert("x")</script> & Co's "memo" ]]>"#;
    let mut it = item("x/1", nasty, "1955-09-18", "1955-09-18", "Archive <b>&</b>");
    it.href = "javascript:alert(1)".into();
    it.date_text = "<i>18</i> & September".into();
    let mut it2 = item("x/<2>&", "control \u{1} char", "1956-01-01", "1956-01-01", "FRUS");
    it2.href = "/doc?a=1&b=<2>".into();
    let undated = TimelineItem { id: "u/<&>".into(), title: "undated & <odd>".into(), ..Default::default() };
    let out = svg(&[it, it2, undated], &SvgOptions { title: "Timeline: <q> & \"r\"".into(), ..Default::default() });
    assert!(!out.contains("<script"), "raw script tag in output");
    let xml = roxmltree::Document::parse(&out).expect("escaped output parses");
    assert!(!xml.descendants().any(|n| n.tag_name().name() == "script" || n.tag_name().name() == "b"));
    assert_eq!(text_of(&xml, "title"), "Timeline: <q> & \"r\"");
    let a = link_by_id(&xml, "x/1");
    assert_eq!(a.attribute("href"), Some("#"), "script URLs are neutralized");
    let tip = a.children().find(|c| c.has_tag_name((SVG_NS, "title"))).unwrap().text().unwrap();
    assert!(tip.contains(nasty) && tip.contains("<i>18</i> & September"), "{tip}");
    assert!(a.attribute("aria-label").unwrap().contains(nasty));
    assert_eq!(link_by_id(&xml, "x/<2>&").attribute("href"), Some("/doc?a=1&b=<2>"));
    assert!(text_of(&xml, "desc").contains("1 undated documents excluded: u/<&>"));
    let legend_text: Vec<&str> = xml.descendants().filter_map(|n| n.text()).collect();
    assert!(legend_text.contains(&"Archive <b>&</b> (1)"));
}

#[test]
fn intervals_dots_inferred_and_lanes() {
    let year = item("y", "A year", "1957-01-01", "1957-12-31", "FRUS");
    let day = item("d", "A day", "1957-06-01", "1957-06-01", "FRUS");
    let mut guessed = item("g", "Inferred", "1958-03-01", "1958-03-31", "Wilson Center Digital Archive");
    guessed.inferred = true;
    let out = svg(&[year, day, guessed], &SvgOptions::default());
    let xml = roxmltree::Document::parse(&out).unwrap();
    let shape = |id: &str| {
        link_by_id(&xml, id)
            .children()
            .find(|c| c.has_tag_name((SVG_NS, "rect")) || c.has_tag_name((SVG_NS, "circle")))
            .unwrap()
    };
    let bar = shape("y");
    assert_eq!(bar.tag_name().name(), "rect", "an uncertain date is a bar");
    let w: f64 = bar.attribute("width").unwrap().parse().unwrap();
    let wm: f64 = shape("g").attribute("width").unwrap().parse().unwrap();
    assert!(w > 10.0 * wm, "a year is about twelve times a month: {w} vs {wm}");
    assert_eq!(shape("d").tag_name().name(), "circle", "a single day is a dot");
    assert_eq!(shape("g").attribute("stroke-dasharray"), Some("4 2"), "inferred is dashed");
    assert_eq!(bar.attribute("stroke-dasharray"), None);
    // The day falls inside the year: it cannot share the year's lane.
    assert_ne!(centre_y(link_by_id(&xml, "y")), centre_y(link_by_id(&xml, "d")));
    // 15 months: monthly ticks (every other month).
    let axis = xml.descendants().find(|n| n.attribute("class") == Some("axis")).unwrap();
    assert_eq!(axis.attribute("data-unit"), Some("month"));
}

#[test]
fn ticks_adapt_to_the_span() {
    let d = |s: &str| chancery_link::timeline::parse_day(s).unwrap();
    let (u, t) = ticks(d("1955-09-13"), d("1955-09-18"));
    assert_eq!(u, TickUnit::Day);
    assert_eq!(t.first().map(|t| t.label.as_str()), Some("1955-09-13"));
    assert_eq!(t.len(), 6);
    let (u, t) = ticks(d("1955-01-01"), d("1955-12-31"));
    assert_eq!(u, TickUnit::Month);
    assert_eq!(t.iter().map(|t| t.label.as_str()).collect::<Vec<_>>()[..2], ["Jan 1955", "Feb 1955"]);
    let (u, t) = ticks(d("1946-02-22"), d("1960-01-24"));
    assert_eq!(u, TickUnit::Year);
    assert_eq!(t[0].label, "1948");
    let (u, t) = ticks(d("1861-01-01"), d("1960-12-31"));
    assert_eq!(u, TickUnit::Decade);
    assert_eq!(t.iter().map(|t| t.label.as_str()).collect::<Vec<_>>()[..2], ["1870s", "1880s"]);
    assert!(t.iter().all(|t| t.label.ends_with("0s")) && t.len() <= 12, "{t:?}");
    for (a, b) in [(d("1955-09-18"), d("1955-09-18")), (d("0001-01-01"), d("9999-12-31")), (i64::MIN, i64::MAX)] {
        let (_, t) = ticks(a, b);
        assert!(!t.is_empty() && t.len() <= 12 && t.windows(2).all(|w| w[0].day < w[1].day), "{t:?}");
    }
}

#[test]
fn nothing_dated_still_renders() {
    let undated = TimelineItem { id: "u".into(), title: "No date".into(), ..Default::default() };
    let bad = TimelineItem { id: "b".into(), from: Some("1955-13-45".into()), ..Default::default() };
    let out = svg(&[undated, bad], &SvgOptions::default());
    let xml = roxmltree::Document::parse(&out).unwrap();
    assert!(links(&xml).is_empty());
    let desc = text_of(&xml, "desc");
    assert!(desc.contains("No dated documents") && desc.contains("2 undated documents excluded"), "{desc}");
}

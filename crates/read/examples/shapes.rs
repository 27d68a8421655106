//! Time `chancery_read::read` on generated input of each hostile shape (issue 14), one line per
//! shape: `cargo run --release -p chancery-read --example shapes [SCALE]` (SCALE multiplies the
//! sizes; 1 by default). A measurement tool, not a test: the tests in `tests/hostile.rs` check the
//! results; this prints how long each takes.

use std::time::Instant;

fn frus(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" \
         xmlns:frus=\"http://history.state.gov/frus/ns/1.0\" xml:id=\"frus1999v01\">\n<text><body>\
         <div type=\"document\" xml:id=\"d1\" n=\"1\"><head>1. Memorandum</head>\n{body}\n</div></body></text></TEI>\n"
    )
}

fn letter(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"l1\">\
         <teiHeader><fileDesc><titleStmt><title>A letter</title></titleStmt></fileDesc></teiHeader>\n\
         <text><body>{body}</body></text></TEI>\n"
    )
}

fn wilson(html: &str) -> String {
    let html = html.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{{\"id\": 1, \"title\": \"A record\", \"doc_date\": \"19600124\", \"translations\": [{{\"html\": \"{html}\", \"content_type\": \"text/html\"}}]}}")
}

fn main() {
    let scale: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let n = |k: usize| k * scale;
    let attrs = |k: usize| (0..k).map(|i| format!(" a{i}=\"v\"")).collect::<String>();
    let shapes: Vec<(&str, String, &str)> = vec![
        ("xml: one element with many attributes", frus(&format!("<p{}>x</p>", attrs(n(25_000)))), "v.xml"),
        (
            "xml: nested namespaces",
            frus(&format!(
                "<p>{}x{}</p>",
                (0..n(2_000)).map(|i| format!("<hi xmlns:p{i}=\"urn:{i}\">")).collect::<String>(),
                "</hi>".repeat(n(2_000))
            )),
            "v.xml",
        ),
        (
            "xml: deep nesting (FRUS)",
            frus(&format!("<p>{}x{}</p>", "<hi>".repeat(n(20_000)), "</hi>".repeat(n(20_000)))),
            "v.xml",
        ),
        (
            "xml: deep nesting (TEI letter)",
            letter(&format!("<p>{}x{}</p>", "<hi>".repeat(n(20_000)), "</hi>".repeat(n(20_000)))),
            "l.xml",
        ),
        (
            "xml: many notes (FRUS)",
            frus(&format!(
                "<p>{}</p>",
                (1..=n(20_000)).map(|i| format!("w {i}<note n=\"{i}\">note {i}</note> ")).collect::<String>()
            )),
            "v.xml",
        ),
        (
            "xml: many notes (TEI letter)",
            letter(&format!(
                "<p>{}</p>",
                (1..=n(20_000)).map(|i| format!("w {i}<note n=\"{i}\">note {i}</note> ")).collect::<String>()
            )),
            "l.xml",
        ),
        (
            "xml: page breaks and notes between blocks",
            frus(&(1..=n(20_000)).map(|i| format!("<pb n=\"{i}\"/><note n=\"{i}\">n</note>")).collect::<String>()),
            "v.xml",
        ),
        (
            "xml: many line breaks opening a paragraph",
            frus(&format!("<p>{}text</p>", "<lb/>".repeat(n(100_000)))),
            "v.xml",
        ),
        ("xml: many tiny elements", frus(&format!("<p>{}</p>", "<hi rend=\"i\">x</hi>".repeat(n(200_000)))), "v.xml"),
        (
            "xml: a very long line",
            frus(&format!("<p>{}</p>", "the islands of Habomai and Shikotan ".repeat(n(100_000)))),
            "v.xml",
        ),
        (
            "text: a very long line with a footnote",
            format!(
                "1. Memorandum\n\n{}end.1\n\n  1. Source: a note.\n",
                "the islands of Habomai and Shikotan ".repeat(n(100_000))
            ),
            "frus1999v01-d1.txt",
        ),
        ("text: many one-line headings", format!("A report\n\n{}", "SUBJECT\n\n".repeat(n(50_000))), "r.txt"),
        ("json: [ nested", "[".repeat(n(100_000)), "d.json"),
        ("html: one tag with many attributes", wilson(&format!("<p{}>x</p>", attrs(n(25_000)))), "w.json"),
        (
            "html: deep nesting",
            wilson(&format!("{}x{}", "<div>".repeat(n(20_000)), "</div>".repeat(n(20_000)))),
            "w.json",
        ),
        ("html: many tiny elements", wilson(&"<p>a <i>b</i> c</p>".repeat(n(100_000))), "w.json"),
    ];
    for (name, text, rel) in shapes {
        let t = Instant::now();
        let r = chancery_read::read(&chancery_read::Input {
            path: std::path::Path::new(rel),
            rel_path: rel,
            bytes: text.as_bytes(),
        });
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let what = match r {
            Ok(d) => format!("read: {} document(s)", d.len()),
            Err(e) => format!("refused: {}", e.to_string().chars().take(70).collect::<String>()),
        };
        println!("{name:<45} {:>8} bytes {ms:>10.1} ms  {what}", text.len());
    }
}

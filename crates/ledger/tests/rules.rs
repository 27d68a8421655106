//! The rules on passages written for these tests (not from the corpus): other wordings of the
//! cues, context words, reporters, unfinalized documents, and inputs that must not panic.

use chancery_ledger::{builtin_issues, extract, Extractor, Position, UNKNOWN_PARTY};
use chancery_model::{Block, BlockKind, Collection, DateInterval, Document, Inline, Note};

fn para(text: &str) -> Block {
    Block { kind: BlockKind::Paragraph, inlines: vec![Inline::text(text)], ..Default::default() }
}

fn doc(paragraphs: &[&str]) -> Document {
    let mut d = Document {
        id: "test/1".into(),
        title: "Memorandum From the Director (Smith) to the Secretary of State".into(),
        collection: Some(Collection { id: "frus1956v99".into(), title: "FRUS".into() }),
        date: DateInterval::day(1956, 3, 1, "March 1, 1956"),
        body: paragraphs.iter().map(|p| para(p)).collect(),
        ..Default::default()
    };
    d.finalize();
    d
}

fn run(d: &Document) -> Vec<Position> {
    extract(d, &builtin_issues())
}

fn summary(ps: &[Position]) -> Vec<(String, String, Vec<String>)> {
    ps.iter()
        .map(|p| (p.issue.clone(), p.party.clone(), p.conditions.iter().map(|c| c.key.clone()).collect()))
        .collect()
}

fn s(issue: &str, party: &str, keys: &[&str]) -> (String, String, Vec<String>) {
    (issue.into(), party.into(), keys.iter().map(|k| k.to_string()).collect())
}

#[test]
fn other_wordings_of_the_cues() {
    let d = doc(&[
        "Gromyko stated that the Soviet Union would hand over Shikotan only after the conclusion of a peace treaty.",
        "The Japanese Government insists on the return of Kunashiri and Etorofu.",
        "We believe the Soya and Tsugaru straits must remain open to all shipping.",
    ]);
    let ps = run(&d);
    assert_eq!(
        summary(&ps),
        [
            s("habomai-shikotan", "ussr", &["peace-treaty-signed"]),
            s("kuriles-sakhalin", "japan", &[]),
            s("straits", "usa", &[])
        ]
    );
    assert_eq!(ps[0].stated_by, "Gromyko");
    assert_eq!(ps[0].conditions[0].text, "the conclusion of a peace treaty");
    assert_eq!(ps[2].stated_by, "Smith");
    assert!(ps.iter().all(|p| p.reported_by == "usa" && p.date.as_ref().unwrap().from == "1956-03-01"));
}

#[test]
fn conditions_are_split_only_into_known_keys() {
    let d = doc(&[
        "Malik said the Soviets would return Habomai on condition that all foreign troops are withdrawn and a peace treaty is signed.",
        "Malik said the Soviets would return Shikotan provided that fishing rights and trade are settled.",
    ]);
    let ps = run(&d);
    let keys: Vec<Vec<String>> = ps.iter().map(|p| p.conditions.iter().map(|c| c.key.clone()).collect()).collect();
    assert_eq!(keys[0], ["foreign-troops-withdrawn", "peace-treaty-signed"]);
    // unknown pieces stay one condition, keyed by their first words
    assert_eq!(ps[1].conditions.len(), 1);
    assert_eq!(ps[1].conditions[0].text, "fishing rights and trade are settled");
    assert_eq!(ps[1].conditions[0].key, "fishing-rights-and-trade");
}

#[test]
fn context_words_and_anaphora() {
    // a strait far from Japan is not the issue; a cue without a holder is not a position
    let d = doc(&[
        "The Russians want a base at the Gibraltar Strait.",
        "Shikotan lies east of Hokkaido.",
        "The Soviets said these islands would stay Soviet.",
        "Nothing more was said.",
        "Nothing at all.",
        "The Soviets said these islands would stay Soviet.",
    ]);
    let ps = run(&d);
    // the anaphor reaches back two passages, not further
    assert_eq!(summary(&ps), [s("habomai-shikotan", "ussr", &[])]);
    assert_eq!(ps[0].source.block, [2]);
}

#[test]
fn whose_record() {
    let mut d = doc(&["We cannot support the transfer of Habomai. Japan wants Shikotan back."]);
    d.collection = None;
    d.finalize();
    // no collection, archive or language: the document's own voice is nobody's
    let ps = run(&d);
    assert_eq!(summary(&ps), [s("habomai-shikotan", "japan", &[])]);
    assert_eq!(ps[0].reported_by, UNKNOWN_PARTY);

    d.archive = Some("AVPRF".into());
    let ps = run(&d);
    assert_eq!(summary(&ps), [s("habomai-shikotan", "ussr", &[]), s("habomai-shikotan", "japan", &[])]);
    assert!(ps.iter().all(|p| p.reported_by == "ussr"));

    d.archive = None;
    d.original_language = Some("ja".into());
    assert!(run(&d).iter().all(|p| p.reported_by == "japan"));
}

#[test]
fn notes_and_unfinalized_documents() {
    let mut d = doc(&["The talks went on."]);
    d.body[0].inlines.push(Inline::NoteRef { n: "2".into() });
    d.notes = vec![
        Note {
            n: "1".into(),
            kind: "source".into(),
            inlines: vec![Inline::text("Source: Japan wants Habomai.")],
            ..Default::default()
        },
        Note {
            n: "2".into(),
            kind: "footnote".into(),
            inlines: vec![Inline::text("Shigemitsu said Japan objects to the closing of the Tsushima strait.")],
            ..Default::default()
        },
    ];
    d.finalize();
    let ps = run(&d);
    assert_eq!(summary(&ps), [s("straits", "japan", &[])]);
    let p = &ps[0];
    assert_eq!(p.source.note.as_deref(), Some("2"));
    assert_eq!(p.source.locator(), "n. 2");
    assert_eq!(p.id, "test/1#n2/straits/japan");
    let span = p.source.span.unwrap();
    assert_eq!(span.start, 0);
    assert_eq!(span.end, d.notes[1].text.chars().count());

    // a document whose derived fields were never computed still yields its positions, unlocated
    let mut raw = doc(&["The Soviet Union wants Japan to recognize its sovereignty over the Kuriles."]);
    raw.text.clear();
    let ps = run(&raw);
    assert_eq!(summary(&ps), [s("kuriles-sakhalin", "ussr", &[])]);
    assert_eq!(ps[0].source.span, None);
    assert!(ps[0].source.text.starts_with("The Soviet Union wants"));
}

#[test]
fn labels_items_and_offsets() {
    let mut d = doc(&[]);
    d.body = vec![Block {
        kind: BlockKind::List,
        children: vec![
            Block { kind: BlockKind::Head, inlines: vec![Inline::text("Shikotan")], ..Default::default() },
            Block {
                kind: BlockKind::Item,
                label: Some("4.".into()),
                inlines: vec![
                    Inline::text("Open questions: (a) Japan "),
                    Inline::PageBreak { n: "12".into() },
                    Inline::text("wants\n the Habomais; (b) the USSR wants the straits of the Japan Sea closed."),
                ],
                ..Default::default()
            },
        ],
        ..Default::default()
    }];
    d.finalize();
    let ps = run(&d);
    assert_eq!(summary(&ps), [s("habomai-shikotan", "japan", &[]), s("straits", "ussr", &[])]);
    for p in &ps {
        let span = p.source.span.unwrap();
        let cited: String = d.text.chars().skip(span.start).take(span.end - span.start).collect();
        assert_eq!(cited, p.source.text);
        assert_eq!(p.source.block, [0, 1]);
        assert_eq!(p.source.label.as_deref(), Some("4."));
    }
    assert_eq!(ps[0].source.text, "Japan wants the Habomais");
    assert_eq!(ps[1].source.locator(), "¶4(b)");
}

/// A small deterministic generator (no external crates): documents built from fragments that
/// trip the rules — cue words, brackets, quotes, enumerations, Cyrillic, stray punctuation.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

const FRAGMENTS: &[&str] = &[
    "The Soviets ",
    "Japan ",
    "we ",
    "I ",
    "Malik said ",
    "wants ",
    "cannot support ",
    "provided that ",
    "provided there is ",
    "conditional on ",
    "once a ",
    "only after ",
    "the Soviet condition that ",
    "H[abomai] ",
    "Shikotan",
    "these islands",
    "Kuriles ",
    "straits ",
    "Sea of Japan",
    "(a) ",
    "(b) ",
    "(c) ",
    "following: ",
    "; ",
    ": ",
    ", while ",
    ". ",
    "“",
    "”",
    "’",
    "[",
    "]",
    "]]",
    "[[",
    "...",
    "—",
    "советского правительства ",
    "пожелании ",
    "военных преступников ",
    "Мао Цзэдун ",
    "заявил ",
    "что ",
    "withdraw of all foreign troops ",
    " and ",
    "a peace treaty is signed ",
    "as part of a total ",
    "in the event of ",
    " is now ",
    "\n",
    "  ",
    "é",
    "🙂",
    "(",
    ")",
    "U.S. ",
    "N.S. ",
    "",
];

fn random_doc(rng: &mut Lcg, n: u64) -> Document {
    let mut text = || {
        let len = rng.next() % 40;
        (0..len).map(|_| rng.pick(FRAGMENTS)).collect::<String>()
    };
    let mut blocks = Vec::new();
    for i in 0..(n % 6) {
        let mut b = para(&text());
        if i % 2 == 0 {
            b.kind = BlockKind::Item;
            b.label = Some(format!("{i}."));
        }
        if i % 3 == 0 {
            b.inlines.push(Inline::NoteRef { n: i.to_string() });
            b.inlines.push(Inline::text(text()));
            b.children.push(para(&text()));
        }
        blocks.push(b);
    }
    let notes = (0..(n % 3))
        .map(|i| Note {
            n: i.to_string(),
            kind: "footnote".into(),
            inlines: vec![Inline::text(text())],
            ..Default::default()
        })
        .collect();
    let mut d = Document { id: format!("fuzz/{n}"), title: text(), body: blocks, notes, ..Default::default() };
    if !matches!(n % 4, 0) {
        d.finalize();
    }
    if matches!(n % 5, 0) {
        d.collection = Some(Collection { id: "frus".into(), title: String::new() });
    }
    d
}

#[test]
fn never_panics_and_always_cites_exactly() {
    let issues = builtin_issues();
    let ex = Extractor::new(&issues);
    let mut rng = Lcg(0x5eed);
    let mut found = 0;
    for n in 0..1500u64 {
        let d = random_doc(&mut rng, n);
        for p in ex.extract(&d) {
            found += 1;
            if let Some(span) = p.source.span {
                let base = match &p.source.note {
                    Some(n) => d.note(n).map(|n| n.text.clone()).unwrap_or_default(),
                    None => d.text.clone(),
                };
                let cited: String = base.chars().skip(span.start).take(span.end - span.start).collect();
                assert_eq!(cited, p.source.text, "{}", p.id);
            }
            assert!(!p.stance.is_empty() || p.source.text.is_empty());
        }
    }
    assert!(found > 50, "the generator should trip the rules ({found} positions)");
    // degenerate documents
    assert!(ex.extract(&Document::default()).is_empty());
    let empty_issue_set = Extractor::new(&[]);
    assert!(empty_issue_set.extract(&doc(&["The Soviets want Shikotan."])).is_empty());
}

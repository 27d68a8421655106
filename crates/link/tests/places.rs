//! The gazetteer and place matching, on the real corpus and on near misses.

mod common;

use chancery_link::places::{find_places, fold, place_ids, unlisted_place_tags, Gazetteer, PlaceKind, PlaceMatch};
use chancery_model::{Document, Mention, MentionKind};

fn corpus() -> Vec<Document> {
    common::fixtures()
}

fn doc<'a>(docs: &'a [Document], id: &str) -> &'a Document {
    docs.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("no document {id}"))
}

fn g() -> &'static Gazetteer {
    Gazetteer::builtin()
}

/// (place id, text) of every spot in a string.
fn spots(text: &str) -> Vec<(String, String)> {
    g().find_in_text(text).into_iter().map(|s| (s.place, s.text)).collect()
}

fn of<'a>(matches: &'a [PlaceMatch], place: &str) -> Vec<&'a PlaceMatch> {
    matches.iter().filter(|m| m.place == place).collect()
}

/// The characters of `text` at a match's offset, as long as the match's wording.
fn at(text: &str, offset: usize, len_of: &str) -> String {
    text.chars().skip(offset).take(len_of.chars().count()).collect()
}

#[test]
fn builtin_gazetteer_has_the_issue_places_with_sources() {
    let g = g();
    assert!(g.places().len() >= 50, "{}", g.places().len());
    for p in g.places() {
        assert!(!p.sources.is_empty(), "{} has no sources", p.id);
    }
    let names = |id: &str| -> Vec<String> { g.get(id).unwrap().names().map(str::to_string).collect() };
    let habomai = names("habomai");
    for v in ["Habomai", "Habomais", "Хабомаи"] {
        assert!(habomai.iter().any(|n| n == v), "{v} missing from {habomai:?}");
    }
    let kuril = g.get("kuril-islands").unwrap();
    assert_eq!(kuril.kind, PlaceKind::IslandGroup);
    let chishima = kuril.variants.iter().find(|v| v.name == "Chishima").unwrap();
    assert!(chishima.historical && chishima.lang == "ja");
    assert!(kuril.variants.iter().any(|v| v.name == "Курильские острова" && v.lang == "ru"));
    assert!(kuril.variants.iter().any(|v| v.name == "Kurile Islands"));
    let karafuto = g.get("south-sakhalin").unwrap().variants.iter().find(|v| v.name == "Karafuto").unwrap();
    assert!(karafuto.historical);
    assert!(g.get("taiwan").unwrap().variants.iter().any(|v| v.name == "Formosa" && v.historical));
    assert!(g.get("beijing").unwrap().variants.iter().any(|v| v.name == "Peking" && v.historical));
    for s in ["soya-strait", "tsugaru-strait", "tsushima-strait"] {
        assert_eq!(g.get(s).unwrap().kind, PlaceKind::Strait, "{s}");
    }
    for (id, geonames) in [
        ("moscow", "524901"),
        ("tokyo", "1850147"),
        ("washington", "4140963"),
        ("london", "2643743"),
        ("beijing", "1816670"),
    ] {
        let p = g.get(id).unwrap();
        assert_eq!(p.kind, PlaceKind::City);
        assert_eq!(p.geonames_id(), Some(geonames), "{id}");
        assert!(p.coordinates.is_some(), "{id}");
    }
    let [lat, lon] = g.get("moscow").unwrap().coordinates.unwrap();
    assert!((55.0..56.0).contains(&lat) && (37.0..38.0).contains(&lon));
    for ru in ["Москва", "Токио", "Шикотан", "Южный Сахалин"] {
        assert!(g.lookup(ru).is_some(), "{ru}");
    }
}

#[test]
fn lookup_by_variant_diacritics_and_case() {
    let g = g();
    let id = |n: &str| g.lookup(n).map(|p| p.id.as_str());
    assert_eq!(id("Formosa"), Some("taiwan"));
    assert_eq!(id("Karafuto"), Some("south-sakhalin"));
    assert_eq!(id("Chishima"), Some("kuril-islands"));
    assert_eq!(id("La Perouse Strait"), Some("soya-strait"));
    assert_eq!(id("La Pérouse Strait"), Some("soya-strait"));
    assert_eq!(id("SOYA STRAIT"), Some("soya-strait"));
    assert_eq!(id("Peking"), Some("beijing"));
    assert_eq!(id("Курильские острова"), Some("kuril-islands"));
    assert_eq!(id("Курильских островов"), Some("kuril-islands"), "Russian genitive plural");
    assert_eq!(id("Южного Сахалина"), Some("south-sakhalin"));
    assert_eq!(id("the Habomais"), None, "lookup wants a whole name");
    assert_eq!(id("Habomais"), Some("habomai"));
    assert_eq!(id("Atlantis"), None);
    assert_eq!(fold("Sōya"), "soya");
    assert_eq!(fold("Шикотан"), "шикотан");
}

#[test]
fn precision_near_misses() {
    // Whole words only; adjectives are not places.
    assert_eq!(spots("Japanese officials and Soviet proposals"), vec![]);
    // Case: common nouns and the pronoun.
    assert_eq!(spots("fine china, a turkey, let us go"), vec![]);
    assert_eq!(
        spots("HABOMAI and Shikotan"),
        vec![("habomai".into(), "HABOMAI".into()), ("shikotan".into(), "Shikotan".into())]
    );
    assert_eq!(spots("US policy"), vec![("united-states".into(), "US".into())]);
    assert_eq!(
        spots("the U.S.S.R. and the U.S."),
        vec![("soviet-union".into(), "U.S.S.R.".into()), ("united-states".into(), "U.S.".into())]
    );
    // Washington the person, the newspaper, the capital.
    assert_eq!(spots("George Washington crossed"), vec![]);
    assert_eq!(spots("Mr. Washington said"), vec![]);
    assert_eq!(spots("Senator Washington said"), vec![]);
    assert_eq!(spots("G. Washington said"), vec![]);
    assert_eq!(spots("the Washington Post reported"), vec![]);
    assert_eq!(spots("talks in Washington ended"), vec![("washington".into(), "Washington".into())]);
    assert_eq!(spots("Washington, D.C., 1955"), vec![("washington".into(), "Washington, D.C.".into())]);
    // Context rules of variants.
    assert_eq!(spots("Latin America"), vec![]);
    assert_eq!(spots("Governor of New York"), vec![("new-york-state".into(), "New York".into())]);
    assert_eq!(spots("a bank in New York"), vec![("new-york".into(), "New York".into())]);
    // Longest match; separators.
    assert_eq!(spots("South Sakhalin"), vec![("south-sakhalin".into(), "South Sakhalin".into())]);
    assert_eq!(spots("the Kuril Islands"), vec![("kuril-islands".into(), "Kuril Islands".into())]);
    assert_eq!(spots("Japan. Sea"), vec![("japan".into(), "Japan".into())]);
    assert_eq!(spots("the Japan\n   Sea"), vec![("sea-of-japan".into(), "Japan\n   Sea".into())]);
    assert_eq!(spots("Sōya-kaikyō"), vec![("soya-strait".into(), "Sōya-kaikyō".into())]);
    assert_eq!(spots("Japan[1]"), vec![("japan".into(), "Japan".into())]);
    // Editorial brackets kept in the wording.
    assert_eq!(
        spots("[Habomai] and the Habomais"),
        vec![("habomai".into(), "[Habomai]".into()), ("habomai".into(), "Habomais".into())]
    );
    assert_eq!(
        spots("H[abomai] and S[hikotan]."),
        vec![("habomai".into(), "H[abomai]".into()), ("shikotan".into(), "S[hikotan]".into())]
    );
    // Russian endings, Japanese script.
    assert_eq!(
        spots("о Курильских островах и Хабомаи"),
        vec![("kuril-islands".into(), "Курильских островах".into()), ("habomai".into(), "Хабомаи".into())]
    );
    assert_eq!(spots("Москвой"), vec![("moscow".into(), "Москвой".into())]);
    assert_eq!(spots("москва"), vec![], "lower case is not the name");
    assert_eq!(
        spots("北方領土の歯舞群島"),
        vec![("northern-territories".into(), "北方領土".into()), ("habomai".into(), "歯舞群島".into())]
    );
}

#[test]
fn no_panic_on_odd_input() {
    for s in
        ["", "[", "]", "][", "[[]]", "H[", "]abomai", "e\u{301}\u{301}", "🗾 Japan 🗾", "\u{0}\u{FFFF}Tokyo", "U.", "."]
    {
        let _ = g().find_in_text(s);
        let _ = g().lookup(s);
    }
    let spots = g().find_in_text("🗾 Japan");
    assert_eq!((spots[0].start, spots[0].end), (2, 7), "character offsets, not bytes");
}

#[test]
fn gazetteer_data_errors_are_errors() {
    let ok = r#"[[place]]
id = "x"
name = "Xland"
kind = "country"
sources = ["test"]
"#;
    assert!(Gazetteer::from_toml(ok).is_ok());
    let bad = [
        ok.replace("id = \"x\"", "id = \"X Land\""),
        format!("{ok}{}", ok.replace("Xland", "Yland")),
        format!("{ok}{}", ok.replace("id = \"x\"", "id = \"y\"")),
        ok.replace("sources = [\"test\"]", "sources = []"),
        ok.replace("kind = \"country\"", "kind = \"planet\""),
        format!("{ok}coordinates = [91.0, 0.0]\n"),
        format!("{ok}colour = \"red\"\n"),
        "not toml [".to_string(),
    ];
    for b in &bad {
        assert!(Gazetteer::from_toml(b).is_err(), "accepted:\n{b}");
    }
}

#[test]
fn frus_d52_places_with_offsets_tags_and_notes() {
    let docs = corpus();
    let d = doc(&docs, "frus1955-57v23p1/d52");
    let m = find_places(d, g());
    for pm in &m {
        match pm.offset {
            Some(o) => assert_eq!(at(&d.text, o, &pm.text), pm.text, "{pm:?}"),
            None => {
                let note = d.note(pm.note.as_deref().unwrap()).unwrap();
                if let Some(o) = pm.note_offset {
                    assert_eq!(at(&note.text, o, &pm.text), pm.text, "{pm:?}");
                }
            }
        }
        assert_ne!(pm.text, "Japanese");
    }
    let texts = |id: &str| of(&m, id).iter().map(|x| x.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts("habomai"), ["Habomais"; 3]);
    assert_eq!(texts("shikotan"), ["Shikotan"; 3]);
    assert_eq!(of(&m, "kuril-islands").iter().filter(|x| x.offset.is_some()).count(), 5);
    assert_eq!(of(&m, "south-sakhalin").iter().filter(|x| x.offset.is_some()).count(), 3);
    assert!(texts("sakhalin") == ["Sakhalin"], "the last, plain 'Sakhalin': {:?}", texts("sakhalin"));
    let sea = texts("sea-of-japan");
    assert!(sea.contains(&"Sea of Japan".to_string()) && sea.contains(&"Japan Sea".to_string()), "{sea:?}");
    assert_eq!(texts("taiwan"), ["Formosa"]);
    assert_eq!(texts("san-francisco"), ["San Francisco"]);
    // The dateline placeName is one match, from the tag, not two.
    let wash = of(&m, "washington");
    assert_eq!(wash.len(), 1, "{wash:?}");
    assert!(wash[0].from_tag && wash[0].offset.is_some());
    // Names in notes: Moscow in note 2, London in note 6.
    let moscow_note = of(&m, "moscow").into_iter().find(|x| x.note.as_deref() == Some("2")).unwrap();
    assert_eq!(moscow_note.offset, None);
    assert!(of(&m, "london").iter().any(|x| x.note.as_deref() == Some("6")));
    // Body before notes, in text order.
    let body: Vec<usize> = m.iter().filter_map(|x| x.offset).collect();
    assert!(body.windows(2).all(|w| w[0] < w[1]));
    assert!(m.iter().skip(body.len()).all(|x| x.offset.is_none()));
    // "US" and "USSR" only in capitals: every match is exactly printed so.
    for x in of(&m, "united-states") {
        assert!(["US", "United States"].contains(&x.text.as_str()), "{x:?}");
    }
}

#[test]
fn seeds_brackets_and_plurals() {
    let docs = corpus();
    let w = doc(&docs, "wilson-center/300264");
    let m = find_places(w, g());
    let h = of(&m, "habomai");
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].text, "H[abomai]");
    assert_eq!(at(&w.text, h[0].offset.unwrap(), "H[abomai]"), "H[abomai]");
    assert_eq!(of(&m, "shikotan")[0].text, "S[hikotan]");
    assert_eq!(of(&m, "china")[0].text, "People's [Republic] of China");
    assert_eq!(of(&m, "united-states").len(), 2, "America, twice");
    assert!(m.iter().all(|x| !x.from_tag), "a page text has no tags");

    let s = doc(&docs, "seeds/frus1955-57v23p1-d52");
    let ids = place_ids(s, g());
    for id in ["habomai", "shikotan", "kuril-islands", "south-sakhalin", "sea-of-japan", "taiwan", "tokyo", "moscow"] {
        assert!(ids.contains(&id.to_string()), "{id} not in {ids:?}");
    }
    assert!(!ids.contains(&"washington".to_string()), "the seed has no dateline");
}

#[test]
fn russian_transcript_declined_names() {
    let docs = corpus();
    let t = doc(&docs, "wilson-center/transcript/33548");
    let m = find_places(t, g());
    let forms = |id: &str| {
        let mut v: Vec<String> = of(&m, id).iter().map(|x| x.text.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(forms("moscow"), ["Москве", "Москву"]);
    assert_eq!(forms("beijing"), ["Пекин", "Пекина", "Пекине"]);
    assert!(forms("soviet-union").contains(&"СССР".to_string()));
    assert!(forms("soviet-union").contains(&"Советского Союза".to_string()));
    assert!(forms("china").contains(&"Китае".to_string()));
    for id in ["burma", "india", "england", "tibet", "sichuan", "xikang", "yunnan", "kunming"] {
        assert!(!of(&m, id).is_empty(), "{id}");
    }
    for pm in &m {
        assert_eq!(at(&t.text, pm.offset.unwrap(), &pm.text), pm.text);
    }
}

#[test]
fn kennan_and_d51() {
    let docs = corpus();
    let k = doc(&docs, "frus1946v06/d475");
    let m = find_places(k, g());
    assert!(of(&m, "moscow").iter().any(|x| x.from_tag), "the dateline tag");
    for id in
        ["strait-of-gibraltar", "persian-gulf", "bornholm", "iran", "turkey", "scandinavia", "russia", "soviet-union"]
    {
        assert!(!of(&m, id).is_empty(), "{id}");
    }
    // Every "US" in capitals is a match; the pronoun "us" never is.
    let capital_us = k.text.split(|c: char| !c.is_alphanumeric()).filter(|w| *w == "US").count();
    let lower_us = k.text.split(|c: char| !c.is_alphanumeric()).filter(|w| *w == "us").count();
    assert!(lower_us > 0, "the telegram says 'us'");
    assert_eq!(of(&m, "united-states").iter().filter(|x| x.offset.is_some()).count(), capital_us);

    let d51 = doc(&docs, "frus1955-57v23p1/d51");
    let m = find_places(d51, g());
    assert!(of(&m, "tokyo")[0].from_tag);
    assert_eq!(of(&m, "karuizawa").len(), 1);
    assert_eq!(of(&m, "washington").len(), 1, "'Washington talks' is the capital");
    let ny = of(&m, "new-york-state");
    assert_eq!((ny.len(), ny[0].note.as_deref()), (1, Some("2")), "Governor of New York");
}

#[test]
fn every_corpus_place_tag_is_in_the_gazetteer() {
    let docs = corpus();
    let tags: usize = docs.iter().map(|d| d.mentions.iter().filter(|m| m.kind == MentionKind::Place).count()).sum();
    assert!(tags >= 3, "Tokyo, Washington, Moscow datelines");
    for d in &docs {
        assert!(unlisted_place_tags(d, g()).is_empty(), "{}: {:?}", d.id, unlisted_place_tags(d, g()));
    }
}

#[test]
fn tags_the_gazetteer_misses_are_kept_or_reported() {
    let mut d = Document { id: "t".into(), text: "From Atlantis and Tokyo.".into(), ..Default::default() };
    let tag = |text: &str, offset| Mention {
        kind: MentionKind::Place,
        text: text.into(),
        offset: Some(offset),
        ..Default::default()
    };
    d.mentions = vec![tag("Atlantis", 5), tag("Tokyo", 18)];
    let m = find_places(&d, g());
    assert_eq!(m.len(), 1);
    assert!(m[0].from_tag && m[0].place == "tokyo" && m[0].offset == Some(18));
    let unlisted = unlisted_place_tags(&d, g());
    assert_eq!(unlisted.len(), 1);
    assert_eq!(unlisted[0].text, "Atlantis");
}

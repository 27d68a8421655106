//! Property tests: the date and archival parsers never panic, and what they return is
//! well-formed.

use chancery_model::date::{days_from_civil, parse_iso, parse_text, valid_day, Precision};
use chancery_model::{archival, parse_archival_refs};
use proptest::prelude::*;

proptest! {
    #[test]
    fn parse_text_never_panics_and_intervals_are_ordered(s in "\\PC{0,60}") {
        if let Some(d) = parse_text(&s) {
            prop_assert!(d.from <= d.to, "{:?}", d);
            prop_assert_eq!(d.text, s.trim());
        }
    }

    #[test]
    fn every_valid_day_round_trips(y in 1500i32..2100, m in 1u32..=12, d in 1u32..=31) {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"];
        let wording = format!("{} {d}, {y}", months[(m - 1) as usize]);
        let parsed = parse_text(&wording);
        if valid_day(y, m, d) {
            let p = parsed.expect("valid day parses");
            prop_assert_eq!(p.from, format!("{y:04}-{m:02}-{d:02}"));
            prop_assert_eq!(p.precision, Precision::Day);
            let iso = parse_iso(&format!("{y:04}-{m:02}-{d:02}")).unwrap();
            prop_assert_eq!(iso.from_days(), Some(days_from_civil(y, m, d)));
        } else {
            prop_assert!(parsed.is_none());
        }
    }

    #[test]
    fn consecutive_days_are_consecutive_numbers(y in 1600i32..2000, m in 1u32..=12) {
        let a = days_from_civil(y, m, 1);
        let next = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) };
        prop_assert_eq!(next - a, i64::from(chancery_model::date::days_in_month(y, m)));
    }

    #[test]
    fn archival_parsers_never_panic(s in "\\PC{0,80}") {
        for r in parse_archival_refs(&s) {
            prop_assert!(!r.text.is_empty());
        }
        let _ = archival::classification(&s);
    }
}

proptest! {
    /// Tagged references are text like any other inline: wherever they stand between text runs,
    /// their offsets point at their collapsed text in `Document::text`.
    #[test]
    fn tagged_ref_offsets_point_at_their_text(
        parts in proptest::collection::vec(("[ a-z\\n]{0,8}", "[ a-zA-Z0-9\\n]{0,10}", any::<bool>()), 0..6)
    ) {
        use chancery_model::{Block, Document, Inline};
        let mut inlines = Vec::new();
        for (i, (text, ref_text, line_break)) in parts.iter().enumerate() {
            inlines.push(Inline::text(text.clone()));
            inlines.push(Inline::Ref { text: ref_text.clone(), target: format!("#d{i}") });
            if *line_break {
                inlines.push(Inline::LineBreak);
            }
        }
        let mut d = Document { body: vec![Block { inlines, ..Default::default() }], ..Default::default() };
        d.finalize();
        let refs = d.tagged_refs();
        prop_assert_eq!(refs.len(), parts.len());
        for r in refs {
            let at: String = d.text.chars().skip(r.offset).take(r.text.chars().count()).collect();
            prop_assert_eq!(&at, &r.text);
            prop_assert!(r.note.is_none());
        }
    }
}

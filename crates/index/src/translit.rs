//! Names across scripts, for queries: a Latin name also searches its Russian spelling
//! (`Molotov` → `Молотов`, `Vyshinsky` → `Вышинский`; a Chinese name in pinyin through the
//! Palladius system Russian uses: `Mao Zedong` → `Мао Цзэдун`), a Cyrillic name its
//! romanization (`Молотов` → `molotov`), and a Russian surname its oblique cases (`Молотов`
//! finds `Молотову`, `Молотова`, `Молотовым`), which the Russian stemmer does not bring
//! together.
//!
//! Romanization is the BGN/PCGN-like table of the person authority (`х` = kh, `ж` = zh,
//! `ц` = ts, `щ` = shch, `ы`/`й` = y); going back to Cyrillic is ambiguous, so only the one
//! spelling a Russian text of the period most likely uses is tried.

/// Whether `word` is all Cyrillic letters.
pub(crate) fn is_cyrillic(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
}

/// Whether `word` is all ASCII letters.
pub(crate) fn is_latin(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic())
}

/// The romanization of a Cyrillic word (lowercase).
pub(crate) fn to_latin(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        out.push_str(chancery_model::text::cyrillic_to_latin(c).unwrap_or(""));
    }
    out
}

/// The Russian spellings a Latin name may have in a Russian text: the letter-by-letter
/// Cyrillic of a Russian name, and the Palladius spelling when the word is pinyin.
pub(crate) fn to_cyrillic(word: &str) -> Vec<String> {
    let w = word.to_ascii_lowercase();
    let mut out = Vec::new();
    if let Some(p) = pinyin_to_palladius(&w) {
        out.push(p);
    }
    let r = russian_from_latin(&w);
    if !r.is_empty() && !out.contains(&r) {
        out.push(r);
    }
    out
}

/// `molotov` → `молотов`, `vyshinsky` → `вышинский`, `khrushchev` → `хрущев`.
fn russian_from_latin(w: &str) -> String {
    // adjectival surname endings first
    let (stem, ending) = if let Some(s) = w.strip_suffix("skiy").or_else(|| w.strip_suffix("skii")) {
        (s, "ский")
    } else if let Some(s) = w.strip_suffix("sky").or_else(|| w.strip_suffix("ski")) {
        (s, "ский")
    } else if let Some(s) = w.strip_suffix("iy").or_else(|| w.strip_suffix("yy")) {
        (s, "ий")
    } else {
        (w, "")
    };
    const DIGRAPHS: [(&str, &str); 12] = [
        ("shch", "щ"),
        ("kh", "х"),
        ("zh", "ж"),
        ("ts", "ц"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("yu", "ю"),
        ("ya", "я"),
        ("yo", "ё"),
        ("ye", "е"),
        ("iu", "ю"),
        ("ia", "я"),
    ];
    let mut out = String::new();
    let bytes = stem.as_bytes();
    let mut i = 0;
    'outer: while i < bytes.len() {
        for (lat, cyr) in DIGRAPHS {
            if stem[i..].starts_with(lat) {
                out.push_str(cyr);
                i += lat.len();
                continue 'outer;
            }
        }
        let c = bytes[i] as char;
        let at_start = i == 0;
        let prev_vowel = i > 0 && matches!(bytes[i - 1], b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
        out.push_str(match c {
            'a' => "а",
            'b' => "б",
            'v' | 'w' => "в",
            'g' => "г",
            'd' => "д",
            'e' if at_start => "э",
            'e' => "е",
            'z' => "з",
            'i' => "и",
            'y' if prev_vowel => "й",
            'y' => "ы",
            'k' | 'c' | 'q' => "к",
            'l' => "л",
            'm' => "м",
            'n' => "н",
            'o' => "о",
            'p' => "п",
            'r' => "р",
            's' => "с",
            't' => "т",
            'u' => "у",
            'f' => "ф",
            'h' => "х",
            'j' => "дж",
            'x' => "кс",
            _ => "",
        });
        i += 1;
    }
    out.push_str(ending);
    out
}

/// The Palladius (Russian) spelling of a word that reads whole as pinyin syllables
/// (`zedong` → `цзэдун`, `mao` → `мао`, `enlai` → `эньлай`); `None` otherwise.
pub(crate) fn pinyin_to_palladius(w: &str) -> Option<String> {
    // longest syllable first at each position, backtracking
    fn go(w: &str, out: &mut String) -> bool {
        if w.is_empty() {
            return true;
        }
        for len in (1..=6.min(w.len())).rev() {
            if !w.is_char_boundary(len) {
                continue;
            }
            if let Some(cyr) = syllable(&w[..len]) {
                let before = out.len();
                out.push_str(&cyr);
                if go(&w[len..], out) {
                    return true;
                }
                out.truncate(before);
            }
        }
        false
    }
    let mut out = String::new();
    (w.len() >= 2 && go(w, &mut out)).then_some(out)
}

/// One pinyin syllable in Palladius Cyrillic.
fn syllable(s: &str) -> Option<String> {
    // whole syllables with special spellings
    let special = match s {
        "zi" => Some("цзы"),
        "ci" => Some("цы"),
        "si" => Some("сы"),
        "zhi" => Some("чжи"),
        "chi" => Some("чи"),
        "shi" => Some("ши"),
        "ri" => Some("жи"),
        "er" => Some("эр"),
        "yi" => Some("и"),
        "wu" => Some("у"),
        "yu" => Some("юй"),
        "yue" => Some("юэ"),
        "yuan" => Some("юань"),
        "yun" => Some("юнь"),
        "ya" => Some("я"),
        "ye" => Some("е"),
        "yao" => Some("яо"),
        "you" => Some("ю"),
        "yan" => Some("янь"),
        "yin" => Some("инь"),
        "yang" => Some("ян"),
        "ying" => Some("ин"),
        "yong" => Some("юн"),
        "wa" => Some("ва"),
        "wo" => Some("во"),
        "wai" => Some("вай"),
        "wei" => Some("вэй"),
        "wan" => Some("вань"),
        "wen" => Some("вэнь"),
        "wang" => Some("ван"),
        "weng" => Some("вэн"),
        _ => None,
    };
    if let Some(sp) = special {
        return Some(sp.to_string());
    }
    const INITIALS: [(&str, &str); 21] = [
        ("zh", "чж"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("b", "б"),
        ("p", "п"),
        ("m", "м"),
        ("f", "ф"),
        ("d", "д"),
        ("t", "т"),
        ("n", "н"),
        ("l", "л"),
        ("g", "г"),
        ("k", "к"),
        ("h", "х"),
        ("j", "цз"),
        ("q", "ц"),
        ("x", "с"),
        ("r", "ж"),
        ("z", "цз"),
        ("c", "ц"),
        ("s", "с"),
    ];
    let (initial, cyr_initial, rest) = INITIALS
        .iter()
        .find(|(lat, _)| s.starts_with(lat))
        .map(|(lat, cyr)| (*lat, *cyr, &s[lat.len()..]))
        .unwrap_or(("", "", s));
    // j, q, x take only i/ü finals; a bare vowel syllable has no initial
    let palatal = matches!(initial, "j" | "q" | "x");
    let fin = match rest {
        "a" => "а",
        "o" => "о",
        "e" => "э",
        "ai" => "ай",
        "ei" => "эй",
        "ao" => "ао",
        "ou" => "оу",
        "an" => "ань",
        "en" => "энь",
        "ang" => "ан",
        "eng" => "эн",
        "ong" => "ун",
        "i" => "и",
        "ia" => "я",
        "ie" => "е",
        "iao" => "яо",
        "iu" => "ю",
        "ian" => "янь",
        "in" => "инь",
        "iang" => "ян",
        "ing" => "ин",
        "iong" => "юн",
        "u" if palatal => "юй",
        "ue" if palatal => "юэ",
        "uan" if palatal => "юань",
        "un" if palatal => "юнь",
        "u" => "у",
        "ua" => "уа",
        "uo" => "о",
        "uai" => "уай",
        "ui" => "уй",
        "uan" => "уань",
        "un" => "унь",
        "uang" => "уан",
        _ => return None,
    };
    if palatal && !rest.starts_with(['i', 'u']) {
        return None;
    }
    if initial.is_empty() && !matches!(rest, "a" | "o" | "e" | "ai" | "ei" | "ao" | "ou" | "an" | "en" | "ang" | "eng")
    {
        return None;
    }
    Some(format!("{cyr_initial}{fin}"))
}

/// The forms of a Russian name in its cases, for the query side (the stemmer cannot reduce
/// `Молотову` and `Молотов` to one stem): the word itself and the case endings of surnames
/// in -ов/-ев/-ин, adjectival surnames in -ский/-ой, and nouns ending in a consonant, -а/-я.
pub(crate) fn russian_cases(word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    let mut out = vec![w.clone()];
    let mut add = |stem: &str, endings: &[&str]| {
        for e in endings {
            let f = format!("{stem}{e}");
            if !out.contains(&f) {
                out.push(f);
            }
        }
    };
    if let Some(stem) = w.strip_suffix("ий").or_else(|| w.strip_suffix("ый")).or_else(|| w.strip_suffix("ой")) {
        add(stem, &["ий", "ого", "ому", "им", "ом", "ая", "ой", "ую", "ие", "их", "ими"]);
    } else if let Some(stem) = w.strip_suffix('а').or_else(|| w.strip_suffix('я')) {
        add(stem, &["а", "ы", "е", "у", "ой", "ою", "я", "и", "ю", "ей"]);
    } else if w.ends_with(|c: char| !"аеёиоуыэюяйь".contains(c)) {
        add(&w, &["а", "у", "ом", "ым", "е", "ы", "ых", "ым", "ыми", "ой", "ую"]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_go_both_ways() {
        assert_eq!(to_latin("Молотов"), "molotov");
        assert_eq!(to_latin("Хрущёв"), "khrushchev");
        assert!(to_cyrillic("Molotov").contains(&"молотов".to_string()));
        assert!(to_cyrillic("Vyshinsky").contains(&"вышинский".to_string()));
        assert!(to_cyrillic("Khrushchev").contains(&"хрущев".to_string()));
        assert!(to_cyrillic("Mao").contains(&"мао".to_string()));
        assert_eq!(to_cyrillic("Zedong")[0], "цзэдун");
        assert_eq!(pinyin_to_palladius("enlai").as_deref(), Some("эньлай"));
        assert_eq!(pinyin_to_palladius("zhou").as_deref(), Some("чжоу"));
        assert_eq!(pinyin_to_palladius("molotov"), None);
    }

    #[test]
    fn surnames_have_their_cases() {
        let forms = russian_cases("Молотов");
        assert!(forms.contains(&"молотову".to_string()));
        assert!(forms.contains(&"молотовым".to_string()));
        assert!(russian_cases("Вышинский").contains(&"вышинскому".to_string()));
        assert!(russian_cases("Цзэдун").contains(&"цзэдуна".to_string()));
    }
}

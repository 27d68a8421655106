//! Text analysis shared by every stage that compares words: the search index's analyzers, the
//! person matcher and the place matcher fold letters the same way here.
//!
//! Folding: canonical decomposition with the combining marks dropped ("città" → "citta",
//! "Sōya" → "Soya"), the letters that do not decompose mapped to their base ("ø" → "o",
//! "ł" → "l", "đ" → "d", "ß" → "ss", "æ" → "ae", "œ" → "oe", "þ" → "th"), and the Turkish
//! dotless "ı" read as "i" — so "İbrahim" (dotted capital İ, lowercased "i̇") and "Ibrahim"
//! fold alike. Lowercasing is the caller's ([`fold`] does both).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Call `f` with the folded form of `c`, case kept: its base letters without combining marks.
#[inline]
pub fn fold_char(c: char, mut f: impl FnMut(char)) {
    if c.is_ascii() {
        return f(c);
    }
    match c {
        'ø' => f('o'),
        'Ø' => f('O'),
        'ł' => f('l'),
        'Ł' => f('L'),
        'đ' | 'ð' => f('d'),
        'Đ' | 'Ð' => f('D'),
        'ı' => f('i'),
        'ß' => {
            f('s');
            f('s')
        }
        'æ' => {
            f('a');
            f('e')
        }
        'Æ' => {
            f('A');
            f('E')
        }
        'œ' => {
            f('o');
            f('e')
        }
        'Œ' => {
            f('O');
            f('E')
        }
        'þ' => {
            f('t');
            f('h')
        }
        'Þ' => {
            f('T');
            f('h')
        }
        _ => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                f(d)
            }
        }),
    }
}

/// Fold and lowercase a string: "İbrahim" → "ibrahim", "Città" → "citta", "Хрущёв" → "хрущев".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] appending to `out`; ASCII input costs one lowercase copy.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    for c in s.chars() {
        fold_char(c, |d| out.extend(d.to_lowercase()));
    }
}

/// Whether a string changes when folded (cheap test before allocating).
pub fn needs_fold(s: &str) -> bool {
    s.bytes().any(|b| b >= 0x80 || b.is_ascii_uppercase())
}

/// A language code as BCP 47 wants it: ISO 639-1 where there is one ("fra", "fr-FR" → "fr";
/// "lat" → "la"; "dk", "dan" → "da"), lowercase; `None` for an empty or unusable code
/// ("trad", "latinq" are read as what they stand for where that is clear).
pub fn normalize_language(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_lowercase();
    let primary = code.split(['-', '_']).next().unwrap_or("");
    let two = match primary {
        "" => return None,
        "fra" | "fre" | "fr" => "fr",
        "deu" | "ger" | "de" => "de",
        "eng" | "en" => "en",
        "ita" | "it" => "it",
        "spa" | "esp" | "es" => "es",
        "lat" | "la" | "latinq" => "la",
        "dan" | "dk" | "da" => "da",
        "nld" | "dut" | "nl" => "nl",
        "nor" | "nob" | "nno" | "no" | "nb" | "nn" => "no",
        "ron" | "rum" | "rou" | "ro" => "ro",
        "ell" | "gre" | "grc" | "el" => "el",
        "heb" | "he" | "iw" => "he",
        "yid" | "yi" | "ji" => "yi",
        "jpn" | "ja" => "ja",
        "por" | "pt" => "pt",
        "rus" | "ru" => "ru",
        "swe" | "sv" => "sv",
        "fin" | "fi" => "fi",
        "hun" | "hu" => "hu",
        "tur" | "ota" | "tr" => "tr",
        "pol" | "pl" => "pl",
        "ces" | "cze" | "cs" => "cs",
        "ara" | "ar" => "ar",
        "zho" | "chi" | "zh" => "zh",
        other if other.len() == 2 || other.len() == 3 => {
            if other.bytes().all(|b| b.is_ascii_lowercase()) {
                return Some(other.to_string());
            }
            return None;
        }
        _ => return None,
    };
    Some(two.to_string())
}

/// Texts shorter than this (in characters) are not given a detected language.
pub const MIN_DETECT_CHARS: usize = 200;
/// How much of a text language detection looks at (its opening, in bytes).
const DETECT_BYTES: usize = 4096;

/// The language of a text the source does not declare, detected with `whatlang` (trigram
/// profiles of 69 languages), as an ISO 639-1 code where there is one; `None` for short texts
/// (under [`MIN_DETECT_CHARS`]) and when the detector is not confident.
pub fn detect_language(text: &str) -> Option<String> {
    let mut end = text.len().min(DETECT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_DETECT_CHARS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    normalize_language(info.lang().code())
}

/// The Latin letters of one lowercase Cyrillic letter (a simple scholarly romanization:
/// ж zh, х kh, ц ts, щ shch, ъ/ь dropped); `None` for any other character. The person
/// matcher and the index's cross-script expansion share it.
pub fn cyrillic_to_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' | 'є' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ї' => "yi",
        'ґ' => "g",
        'ў' => "u",
        _ => return None,
    })
}

/// English name of an ISO 639 language code, for the languages the archive meets.
pub fn language_name(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_lowercase().as_str() {
        "en" | "eng" => "English",
        "ru" | "rus" => "Russian",
        "fr" | "fra" | "fre" => "French",
        "de" | "deu" | "ger" => "German",
        "it" | "ita" => "Italian",
        "es" | "spa" => "Spanish",
        "pt" | "por" => "Portuguese",
        "ja" | "jpn" => "Japanese",
        "zh" | "zho" | "chi" => "Chinese",
        "ko" | "kor" => "Korean",
        "vi" | "vie" => "Vietnamese",
        "mn" | "mon" => "Mongolian",
        "pl" | "pol" => "Polish",
        "cs" | "ces" | "cze" => "Czech",
        "sk" | "slk" => "Slovak",
        "hu" | "hun" => "Hungarian",
        "ro" | "ron" | "rum" => "Romanian",
        "bg" | "bul" => "Bulgarian",
        "sr" | "srp" => "Serbian",
        "hr" | "hrv" => "Croatian",
        "uk" | "ukr" => "Ukrainian",
        "la" | "lat" => "Latin",
        "ar" | "ara" => "Arabic",
        "fa" | "fas" | "per" => "Persian",
        "he" | "heb" => "Hebrew",
        "tr" | "tur" => "Turkish",
        "el" | "ell" | "gre" => "Greek",
        "nl" | "nld" | "dut" => "Dutch",
        "sv" | "swe" => "Swedish",
        "fi" | "fin" => "Finnish",
        "no" | "nor" => "Norwegian",
        "da" | "dan" => "Danish",
        "hi" | "hin" => "Hindi",
        "id" | "ind" => "Indonesian",
        "yi" | "yid" => "Yiddish",
        "ko-kp" => "Korean",
        _ => return None,
    })
}

/// A lowercase slug for ids: letters and digits (of any script) kept and lowercased,
/// everything else folded to a single '-', none at either end.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A Roman numeral's value (I–MMMM, either case, subtractive forms read); `None` for any
/// other character or a value of 0.
pub fn roman(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_roman_numerals() {
        assert_eq!(slug("Filippo Cavriana: Lettere (1568–1589)"), "filippo-cavriana-lettere-1568-1589");
        assert_eq!(slug("  Città / Pàdova "), "città-pàdova");
        assert_eq!(roman("XXIII"), Some(23));
        assert_eq!(roman("mcmlv"), Some(1955));
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman(""), None);
        assert_eq!(roman("XQ"), None);
    }

    #[test]
    fn folds_diacritics_and_turkish_i() {
        assert_eq!(fold("İbrahim"), "ibrahim");
        assert_eq!(fold("ıbrahim"), "ibrahim");
        assert_eq!(fold("İbrahim".to_lowercase().as_str()), "ibrahim", "lowercased İ is i + U+0307");
        assert_eq!(fold("città"), "citta");
        assert_eq!(fold("Sōya"), "soya");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Хрущёв"), "хрущев");
        assert!(!needs_fold("citta") && needs_fold("città") && needs_fold("Citta"));
    }

    #[test]
    fn language_codes_are_normalized() {
        for (code, want) in [("fra", "fr"), ("fr-FR", "fr"), ("lat", "la"), ("dk", "da"), ("dan", "da"), ("esp", "es")]
        {
            assert_eq!(normalize_language(code).as_deref(), Some(want), "{code}");
        }
        for (code, want) in
            [("en-UK", "en"), ("en-en", "en"), ("eng", "en"), ("rou", "ro"), ("ita", "it"), ("de-AT", "de")]
        {
            assert_eq!(normalize_language(code).as_deref(), Some(want), "{code}");
        }
        assert_eq!(normalize_language(""), None);
        assert_eq!(normalize_language("trad"), None);
    }
}

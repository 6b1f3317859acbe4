//! Advance widths of the bundled DejaVu faces, for right alignment and wrapping.

use super::Style;

// krilla 0.8.2 exposes no public way to measure text (its shaper and the font's glyph metrics
// are crate-private), so right alignment uses these advance widths, read from the `hmtx` table
// of the bundled files for U+0020..=U+007E (2048 units per em). Regenerate them if the fonts are
// replaced. Kerning is ignored; DejaVu's digits are tabular, so numeric columns line up exactly.
const UNITS_PER_EM: f32 = 2048.0;
const REGULAR_ADVANCES: [u16; 95] = [
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303, 1303,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577,
    1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401,
    2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298,
    569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075,
    1303, 690, 1303, 1716,
];
const BOLD_ADVANCES: [u16; 95] = [
    713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748, 1425, 1425, 1425,
    1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503, 1700,
    1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585,
    2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458,
    702, 702, 1362, 702, 2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192,
    1458, 748, 1458, 1716,
];
// Outside ASCII (mostly accented letters in names) the mean lowercase advance is a close guess.
const REGULAR_FALLBACK: u16 = 1154;
const BOLD_FALLBACK: u16 = 1303;

fn advance_units(c: char, bold: bool) -> u16 {
    let (table, fallback) =
        if bold { (&BOLD_ADVANCES, BOLD_FALLBACK) } else { (&REGULAR_ADVANCES, REGULAR_FALLBACK) };
    match c {
        ' '..='~' => table[c as usize - 0x20],
        // The middle dot (footer separator) has the same advance as the period in both faces.
        '\u{b7}' => table['.' as usize - 0x20],
        '\u{a0}' => table[0],
        // French groups digits with a narrow no-break space: about half a space.
        '\u{202f}' => table[0] / 2,
        _ => fallback,
    }
}

pub(super) fn text_width(text: &str, style: Style) -> f32 {
    let units: u32 = text.chars().map(|c| u32::from(advance_units(c, style.bold))).sum();
    units as f32 * style.size / UNITS_PER_EM
}

/// Greedy word wrap; a token wider than the column (a long reference, say) is broken by character.
/// No-break spaces hold together what French keeps on one line (`1 234,56 $`, `13 %`, `Total :`).
pub(super) fn wrap(text: &str, style: Style, max_width: f32) -> Vec<String> {
    let breaks = |c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}');
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(breaks).filter(|word| !word.is_empty()) {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if text_width(&candidate, style) <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for ch in word.chars() {
            if !current.is_empty() && text_width(&format!("{current}{ch}"), style) > max_width {
                lines.push(std::mem::take(&mut current));
            }
            current.push(ch);
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::invoice::BODY;

    #[test]
    fn no_break_spaces_hold_french_amounts_together() {
        let lines = wrap("12 appels facturés, 0\u{a0}h\u{a0}03\u{a0}min, 1\u{a0}234,56\u{a0}$", BODY, 80.0);
        assert!(lines.iter().any(|line| line == "1\u{a0}234,56\u{a0}$"), "{lines:?}");
        assert!(lines.iter().any(|line| line == "0\u{a0}h\u{a0}03\u{a0}min,"), "{lines:?}");
    }
}

//! `report --badge FILE`: a summary badge for a README, in the flat style READMEs use
//! ("translations | 87%"), coloured by how much is up to date.

use crate::coverage::Coverage;

/// The share of translations up to date over every translation language (pairs, not
/// languages: a language with more articles weighs more), rounded down so that 99.6% is not
/// shown as complete; and the badge.
pub fn coverage(rows: &[Coverage]) -> (u32, String) {
    let (up, total) = rows.iter().fold((0u64, 0u64), |(u, t), c| {
        (u + u64::from(c.up_to_date), t + u64::from(c.total))
    });
    let percent = (up * 100).checked_div(total).map_or(100, |p| p as u32);
    (
        percent,
        svg("translations", &format!("{percent}%"), colour(percent)),
    )
}

/// Green when (almost) complete, through yellow, to red.
fn colour(percent: u32) -> &'static str {
    match percent {
        95.. => "#4c1",
        80..=94 => "#97ca00",
        60..=79 => "#dfb317",
        40..=59 => "#fe7d37",
        _ => "#e05d44",
    }
}

/// Width of a text in Verdana 11px, near enough for a badge (digits and lowercase ≈ 7px).
fn width(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 't' | 'f' | 'j' | 'r' | '.' | ' ' => 4,
            'm' | 'w' | '%' => 10,
            _ => 7,
        })
        .sum::<u32>()
        + 10
}

fn svg(label: &str, value: &str, colour: &str) -> String {
    let (lw, vw) = (width(label), width(value));
    let total = lw + vw;
    let (lx, vx) = (lw * 5, lw * 10 + vw * 5);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{label}: {value}"><title>{label}: {value}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{vw}" height="20" fill="{colour}"/><rect width="{total}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="110"><text x="{lx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)">{label}</text><text x="{lx}" y="140" transform="scale(.1)">{label}</text><text x="{vx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)">{value}</text><text x="{vx}" y="140" transform="scale(.1)">{value}</text></g></svg>
"##
    )
}

//! How an email is put together from the catalogue (`locales/*/emails.ftl`): the reader's greeting,
//! the message, and a link to the portal; its subject is the message's `.subject`. The plain-text
//! part is the reference; the HTML part says the same, escaped, with its links clickable.

use crate::{
    i18n::{Locale, Text, render},
    mail::Email,
};

/// An email to `to` (called `name`) in `locale`, saying `message`. `links` are the URLs the
/// message holds, made links in the HTML part; `portal` adds the portal's address at the end.
pub fn compose(
    locale: Locale,
    to: &str,
    name: &str,
    message: &Text,
    links: &[&str],
    portal: Option<&str>,
) -> Email {
    let mut text = render(locale, "greeting", &[("name", name.into())]);
    text.push_str("\n\n");
    text.push_str(&message.render(locale));
    if let Some(url) = portal {
        text.push_str("\n\n");
        text.push_str(&render(locale, "portal-link", &[("url", url.into())]));
    }
    text.push('\n');
    let links: Vec<&str> = links.iter().copied().chain(portal).collect();
    Email {
        to: to.into(),
        subject: message.attribute("subject").render(locale),
        html: html(&text, &links),
        text,
    }
}

/// The plain text as HTML: a paragraph per blank-line-separated block, a line break per line,
/// everything escaped, and each of `links` an anchor.
fn html(text: &str, links: &[&str]) -> String {
    let mut html = String::new();
    for paragraph in text.trim_end().split("\n\n") {
        let lines: Vec<String> = paragraph.lines().map(|line| linked(&escape(line), links)).collect();
        html.push_str("<p>");
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    html
}

/// `line` (escaped) with each word that is one of `links`, apart from the punctuation around it
/// (`(…).`), made an anchor.
fn linked(escaped_line: &str, links: &[&str]) -> String {
    let links: Vec<String> = links.iter().map(|url| escape(url)).collect();
    let words: Vec<String> = escaped_line
        .split(' ')
        .map(|word| {
            let start = word.len() - word.trim_start_matches('(').len();
            let core = word[start..].trim_end_matches(['.', ',', ';', ':', ')']);
            if links.iter().any(|url| url == core) {
                let end = start + core.len();
                format!("{}<a href=\"{core}\">{core}</a>{}", &word[..start], &word[end..])
            } else {
                word.to_owned()
            }
        })
        .collect();
    words.join(" ")
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_only_and_links_are_anchors() {
        let url = "http://x/reset-password?token=tok&a=1";
        let message = Text::new("password-reset").arg("email", "a@b.ca").arg("url", url);
        let email = compose(Locale::EnCa, "a@b.ca", "<b>Eve</b>", &message, &[url], None);
        assert!(email.html.contains("&lt;b&gt;Eve&lt;/b&gt;"));
        assert!(email.text.starts_with("Hello <b>Eve</b>,\n\nSomeone asked"));
        assert!(email.text.contains(url));
        assert!(
            email.html.contains("<a href=\"http://x/reset-password?token=tok&amp;a=1\">"),
            "{}",
            email.html
        );
        assert_eq!(email.subject, "Reset your Billing Portal password");
    }

    #[test]
    fn french_readers_get_french() {
        let message = Text::new("password-reset").arg("email", "a@b.ca").arg("url", "http://x");
        let email = compose(Locale::FrCa, "a@b.ca", "Ève", &message, &["http://x"], None);
        assert!(email.text.starts_with("Bonjour Ève,"), "{}", email.text);
        assert!(email.subject.starts_with("Réinitialisez"), "{}", email.subject);
    }
}

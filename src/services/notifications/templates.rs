//! The emails we send. The plain-text part is the reference; the HTML part says the same.

use crate::mail::Email;

pub struct Invitation<'a> {
    pub to: &'a str,
    pub name: &'a str,
    pub account_name: &'a str,
    pub temporary_password: &'a str,
    pub public_url: &'a str,
}

pub fn invitation(i: &Invitation<'_>) -> Email {
    let login_url = format!("{}/login", i.public_url);
    let text = format!(
        "Hello {name},\n\n\
         You have been invited to the Billing Portal of {account}.\n\n\
         Username: {email}\n\
         Temporary password: {password}\n\n\
         Log in at {login_url}\n\
         You will be asked to choose a new password when you first log in.\n\
         The temporary password works for 7 days; after that, use Forgot Password on the login page.\n",
        name = i.name,
        account = i.account_name,
        email = i.to,
        password = i.temporary_password,
    );
    let html = format!(
        "<p>Hello {name},</p>\
         <p>You have been invited to the Billing Portal of {account}.</p>\
         <p>Username: <strong>{email}</strong><br>Temporary password: <code>{password}</code></p>\
         <p><a href=\"{url}\">Log in to the Billing Portal</a></p>\
         <p>You will be asked to choose a new password when you first log in. The temporary password \
         works for 7 days; after that, use Forgot Password on the login page.</p>",
        name = escape(i.name),
        account = escape(i.account_name),
        email = escape(i.to),
        password = escape(i.temporary_password),
        url = escape(&login_url),
    );
    Email { to: i.to.into(), subject: format!("Your {} Billing Portal login", i.account_name), text, html }
}

pub fn password_reset(to: &str, name: &str, token: &str, public_url: &str) -> Email {
    let url = format!("{public_url}/reset-password?token={token}");
    let text = format!(
        "Hello {name},\n\n\
         Someone asked to reset the password of your Billing Portal login ({to}).\n\
         Choose a new password here: {url}\n\n\
         The link works once, for 1 hour. If you did not ask for it, ignore this email: your \
         password stays as it is.\n",
    );
    let html = format!(
        "<p>Hello {name},</p>\
         <p>Someone asked to reset the password of your Billing Portal login ({to}).</p>\
         <p><a href=\"{url}\">Choose a new password</a></p>\
         <p>The link works once, for 1 hour. If you did not ask for it, ignore this email: your \
         password stays as it is.</p>",
        name = escape(name),
        to = escape(to),
        url = escape(&url),
    );
    Email { to: to.into(), subject: "Reset your Billing Portal password".into(), text, html }
}

pub struct Receipt<'a> {
    pub to: &'a str,
    pub name: &'a str,
    /// Formatted, with its currency: "123.45 CAD".
    pub amount: &'a str,
    /// "Visa ending 4242".
    pub method: &'a str,
    /// The gateway's id of the charge.
    pub reference: &'a str,
    pub paid_at: &'a str,
    pub public_url: &'a str,
}

/// The payer's receipt for a payment that succeeded.
pub fn receipt(r: &Receipt<'_>) -> Email {
    let url = format!("{}/payments", r.public_url);
    let text = format!(
        "Hello {name},\n\n\
         We received your payment of {amount} by {method} on {paid_at}.\n\
         Reference: {reference}\n\n\
         Your payments: {url}\n",
        name = r.name,
        amount = r.amount,
        method = r.method,
        paid_at = r.paid_at,
        reference = r.reference,
    );
    let html = format!(
        "<p>Hello {name},</p>\
         <p>We received your payment of <strong>{amount}</strong> by {method} on {paid_at}.</p>\
         <p>Reference: <code>{reference}</code></p>\
         <p><a href=\"{url}\">Your payments</a></p>",
        name = escape(r.name),
        amount = escape(r.amount),
        method = escape(r.method),
        paid_at = escape(r.paid_at),
        reference = escape(r.reference),
        url = escape(&url),
    );
    Email { to: r.to.into(), subject: format!("Payment received: {}", r.amount), text, html }
}

/// Tells someone of the account what happened to its billing, with a link into the portal.
pub fn notice(to: &str, name: &str, subject: &str, body: &str, url: &str) -> Email {
    let text = format!("Hello {name},\n\n{body}\n\nThe Billing Portal: {url}\n");
    let html = format!(
        "<p>Hello {name},</p><p>{body}</p><p><a href=\"{url}\">Open the Billing Portal</a></p>",
        name = escape(name),
        body = escape(body),
        url = escape(url),
    );
    Email { to: to.into(), subject: subject.into(), text, html }
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
    fn names_are_escaped_in_html_only() {
        let email = password_reset("a@b.ca", "<b>Eve</b>", "tok", "http://x");
        assert!(email.html.contains("&lt;b&gt;Eve&lt;/b&gt;"));
        assert!(email.text.contains("<b>Eve</b>"));
        assert!(email.text.contains("http://x/reset-password?token=tok"));
    }
}

//! A real SMTP server for the tests (Python's aiosmtpd, writing to a Maildir, refusing mailboxes at
//! `refused.example`), and the emails it
//! received, decoded.

use std::{
    net::TcpListener as StdTcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A real SMTP server (aiosmtpd) writing what it receives to a Maildir.
pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: Option<Child>,
}

impl SmtpServer {
    pub fn start(maildir: &Path) -> Self {
        let port = free_port();
        let mut server = Self { port, maildir: maildir.to_path_buf(), child: None };
        server.restart();
        server
    }

    /// Stops the server: deliveries fail until `restart`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it (again) on the same port and mailbox, and waits until it accepts connections.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port)])
            // Maildir delivery, refusing for good every recipient at refused.example.
            .env("PYTHONPATH", concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
            .args(["-c", "refusing_mailbox.RefusingMailbox"])
            .arg(&self.maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd starts (pip install aiosmtpd)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start; is it installed?");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn emails_to(&self, to: &str) -> Vec<Email> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return vec![] };
        let mut emails: Vec<(std::time::SystemTime, Email)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let raw = std::fs::read(entry.path()).ok()?;
                let modified = entry.metadata().ok()?.modified().ok()?;
                Some((modified, Email::parse(&raw)))
            })
            .filter(|(_, email)| email.to.contains(to))
            .collect();
        emails.sort_by_key(|(modified, _)| *modified);
        emails.into_iter().map(|(_, email)| email).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    StdTcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
}

/// A received email, decoded.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

impl Email {
    pub fn parse(raw: &[u8]) -> Self {
        let parsed = mailparse::parse_mail(raw).expect("a MIME message");
        let header = |name: &str| {
            parsed
                .headers
                .iter()
                .find(|h| h.get_key_ref().eq_ignore_ascii_case(name))
                .map(|h| h.get_value())
                .unwrap_or_default()
        };
        let mut text = String::new();
        let mut html = String::new();
        for part in parsed.subparts.iter().chain(std::iter::once(&parsed)) {
            match part.ctype.mimetype.as_str() {
                "text/plain" => text = part.get_body().expect("text body"),
                "text/html" => html = part.get_body().expect("html body"),
                _ => {}
            }
        }
        Self { to: header("To"), subject: header("Subject"), message_id: header("Message-ID"), text, html }
    }

    /// The value after `Label: ` on a line of the text part.
    pub fn line_value(&self, label: &str) -> Option<String> {
        self.text
            .lines()
            .find_map(|line| line.trim().strip_prefix(&format!("{label}: ")).map(|v| v.trim().to_string()))
    }

    /// The `token` query parameter of the reset link.
    pub fn reset_token(&self) -> String {
        let start = self.text.find("token=").expect("a reset link with a token") + "token=".len();
        self.text[start..].split(|c: char| c.is_whitespace()).next().expect("token").to_string()
    }
}

//! Where emails physically go: an SMTP server, or `.eml` files in a folder for development.

use std::{path::PathBuf, time::Duration};

use lettre::{
    Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};

use crate::domain::secret::Secret;

use super::Email;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("bad address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("building the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing the .eml file: {0}")]
    File(#[from] std::io::Error),
}

impl SendError {
    /// Whether sending again can never succeed: an address or message the library refuses, or an
    /// SMTP server's 5xx. A timeout, a refused connection or a 4xx may pass later.
    pub fn is_permanent(&self) -> bool {
        match self {
            Self::Address(_) | Self::Build(_) => true,
            Self::Smtp(error) => error.is_permanent(),
            Self::File(_) => false,
        }
    }
}

/// `SMTP_URL` could not be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: SMTP_URL: {0}")]
pub struct TransportConfigError(#[from] lettre::transport::smtp::Error);

impl Transport {
    /// SMTP when `smtp_url` is set, otherwise `.eml` files in `mail_dir`.
    pub fn new(smtp_url: Option<&Secret>, mail_dir: PathBuf) -> Result<Self, TransportConfigError> {
        Ok(match smtp_url {
            Some(url) => Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())?
                    .timeout(Some(Duration::from_secs(15)))
                    .build(),
            ),
            None => Self::Files(mail_dir),
        })
    }

    /// Sends `email` as the message `message_id` (`<…@…>`): the same id on every retry, so that a
    /// receiver can tell a repeat from a new message.
    pub async fn send(&self, from: &str, message_id: &str, email: &Email) -> Result<(), SendError> {
        let to = Mailbox::new(None, email.to.parse::<Address>()?);
        let message = Message::builder()
            .message_id(Some(message_id.to_string()))
            .from(from.parse()?)
            .to(to)
            .subject(&email.subject)
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))?;
        match self {
            Self::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Self::Files(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
                    uuid::Uuid::new_v4().simple()
                );
                tokio::fs::write(dir.join(name), message.formatted()).await?;
            }
        }
        Ok(())
    }
}

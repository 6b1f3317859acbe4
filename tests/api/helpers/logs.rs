//! Everything the app logs during the tests, kept to check what reaches the log.

use std::sync::{Arc, Mutex, OnceLock};

/// Everything the app logs during the tests of this binary, at debug level (also printed to
/// stderr when `TEST_LOG` is set).
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&log_buffer().lock().expect("log buffer")).into_owned()
}

fn log_buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static BUFFER: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUFFER.get_or_init(Default::default)
}

#[derive(Clone)]
struct BufferWriter;

impl std::io::Write for BufferWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        log_buffer().lock().expect("log buffer").extend_from_slice(bytes);
        if std::env::var_os("TEST_LOG").is_some() {
            std::io::Write::write_all(&mut std::io::stderr(), bytes)?;
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn init_log_capture() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug,sqlx=debug,sea_orm=debug,hyper=info,h2=info,rustls=info")
            .with_ansi(false)
            .with_writer(|| BufferWriter)
            .try_init();
    });
}

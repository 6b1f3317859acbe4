use std::process::ExitCode;

use billing_portal::cli::{self, Cli};
use clap::Parser;

/// mimalloc: a request allocates and frees many small objects (the GraphQL document, rows, JSON);
/// glibc's malloc and free were a quarter of the server's CPU under the Dashboard's load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line naming what is wrong; never a panic trace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

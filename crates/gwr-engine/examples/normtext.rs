//! Print a report file's normalized text, the text every span points into:
//! `cargo run -p gwr-engine --example normtext -- FILE`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: normtext FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("normtext: {path}: {e}");
            return ExitCode::from(1);
        }
    };
    match gwr_engine::Engine::new().parse_bytes(&path, &bytes) {
        Ok(file) => {
            print!("{}", file.text());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("normtext: {path}: {e}");
            ExitCode::from(1)
        }
    }
}

//! Serve an existing data directory: `cargo run -p chancery-web --example serve -- DATA_DIR [ADDR]`.
//! (The `chancery serve` command is the supported way; this is for working on the web crate.)

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or_else(|| anyhow::anyhow!("usage: serve DATA_DIR [HOST:PORT]"))?;
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8080".to_string()).parse()?;
    let archive = chancery_core::Archive::open(std::path::Path::new(&dir))?;
    eprintln!("serving {dir} on http://{addr}/");
    chancery_web::serve(archive, addr)
}

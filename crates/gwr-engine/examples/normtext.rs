fn main() {
    let p = std::env::args().nth(1).unwrap();
    let b = std::fs::read(&p).unwrap();
    let e = gwr_engine::Engine::new();
    let f = e.parse_bytes("x", &b).unwrap();
    print!("{}", f.text());
}

fn main() {
    let t = std::env::args().nth(1).unwrap();
    let g = gwr_doc::Gazetteer::builtin();
    for m in g.mentions(&t) {
        println!("full {} {:?}", &t[m.start..m.end], m.codes);
    }
    for m in g.suffixed_short_mentions(&t) {
        println!("sfx {} {:?}", &t[m.start..m.end], m.codes);
    }
    for m in g.short_mentions(&t) {
        println!("short {} {:?}", &t[m.start..m.end], m.codes);
    }
}

//! Turn data/jieba-words.txt.zst (jieba's general dictionary: `word
//! frequency` lines, sorted by bytes) into a table the search segmenter
//! binary-searches in place: `n + 1` little-endian u32 offsets into the
//! word bytes, `n` u32 frequencies, then the words' bytes.

use std::io::Read;

fn main() {
    let src = "../../data/jieba-words.txt.zst";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=build.rs");
    let file = std::fs::File::open(src).expect("data/jieba-words.txt.zst");
    let mut text = String::new();
    ruzstd::decoding::StreamingDecoder::new(std::io::BufReader::new(file))
        .expect("a zstd file")
        .read_to_string(&mut text)
        .expect("UTF-8 text");
    let mut entries: Vec<(&str, u32)> = text
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(w, f)| (w, f.parse().expect("a frequency")))
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    let n = entries.len();
    let mut offsets = Vec::with_capacity((n + 1) * 4);
    let mut freqs = Vec::with_capacity(n * 4);
    let mut words = Vec::with_capacity(text.len());
    let (mut total, mut longest) = (0u64, 0usize);
    for (w, f) in &entries {
        offsets.extend_from_slice(&(words.len() as u32).to_le_bytes());
        freqs.extend_from_slice(&f.to_le_bytes());
        words.extend_from_slice(w.as_bytes());
        total += u64::from(*f);
        longest = longest.max(w.chars().count());
    }
    offsets.extend_from_slice(&(words.len() as u32).to_le_bytes());
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut table = offsets;
    table.extend(freqs);
    table.extend(words);
    std::fs::write(out.join("jieba-words.bin"), table).expect("writes the table");
    std::fs::write(
        out.join("jieba_words.rs"),
        format!(
            "/// Words in the table.\npub const WORDS: usize = {n};\n\
             /// Their frequencies added up.\npub const TOTAL: usize = {total};\n\
             /// The longest word, in characters.\npub const LONGEST: usize = {longest};\n"
        ),
    )
    .expect("writes the constants");
}

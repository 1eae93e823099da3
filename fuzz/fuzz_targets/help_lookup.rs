//! `cyoda help WORD…`: arbitrary words resolved against the embedded topic index.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // NUL separates the words, as argv would.
    let words: Vec<String> = text.split('\0').map(str::to_string).collect();
    if words.is_empty() {
        return;
    }
    for version in cyoda::catalog::all() {
        let _ = cyoda::help::lookup::resolve(&version.index, &words);
    }
    let _ = cyoda::help::lookup::segments(&words);
});

//! How the binaries link, shared by cyoda's build.rs and the benchmark's reference programs
//! (bench/hello, bench/baseline), so that the floor they measure is built exactly like cyoda.

/// On Linux with glibc, link a position-dependent executable (`-no-pie`), as Go does for its
/// command-line tools. A PIE cyoda carries about 9,000 relative relocations (vtables, string
/// tables, the embedded help tree): the loader reads ~220 KB of relocation records and
/// copies-on-write every page they patch before `main` runs, which was a tenth of a millisecond
/// of every `cyoda help` (callgrind + `perf stat -e page-faults`). What is given up: the
/// executable's own code and data load at a fixed address (libraries, stack and heap are still
/// randomised), which matters little for a program that forbids `unsafe`.
///
/// Elsewhere (macOS, Windows, musl's static-pie) the platform default is kept.
pub fn emit_link_args() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

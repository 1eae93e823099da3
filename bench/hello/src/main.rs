//! Hello world: the process-start floor for `cyoda help` latency.
//!
//! A position-independent executable, as cyoda is: rustc links PIE by default on Linux, and
//! `bench/run` checks it (`readelf -h` says `Type: DYN`) for this program, the baseline and
//! cyoda before it times anything. A floor linked position-dependent would skip the relocation
//! work every PIE start pays, and the help ratios would compare unlike programs.

fn main() {
    println!("Hello, world!");
}

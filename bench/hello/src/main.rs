//! Hello world: the process-start floor for `cyoda help` latency.

fn main() {
    println!("Hello, world!");
}

use clap::Parser;
use cyoda::cli::Cli;

fn main() {
    let _cli = Cli::parse();
}

//! Links like cyoda does (the same file decides), so the comparison is like for like.

#[path = "../../build/link_mode.rs"]
mod link_mode;

fn main() {
    link_mode::emit_link_args();
}

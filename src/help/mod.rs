//! `cyoda help` at run time: the embedded topic store, lookup, and the renderers.

pub mod store;

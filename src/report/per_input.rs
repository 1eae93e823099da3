//! What a renderer derives from a response's input name alone (SARIF's artifact location,
//! GitLab's repo-relative path), worked out once per input instead of once per response.
//!
//! Responses reach a renderer one at a time, on any worker thread, but in runs of one input
//! (an NDJSON file is thousands of responses). Resolving a path against the repository root
//! cost more than rendering the finding; the last input's value is kept and reused while the
//! input stays the same. One entry: memory does not grow with the number of inputs.

use std::sync::{Arc, Mutex, PoisonError};

/// The value derived from the last input seen.
#[derive(Debug)]
pub struct PerInput<T> {
    last: Mutex<Option<(Arc<str>, Arc<T>)>>,
}

impl<T> Default for PerInput<T> {
    fn default() -> Self {
        PerInput {
            last: Mutex::new(None),
        }
    }
}

impl<T> PerInput<T> {
    /// The value for `input`: the kept one when `input` is the last input, else `derive`'s,
    /// which is then kept.
    pub fn get(&self, input: &Arc<str>, derive: impl FnOnce(&str) -> T) -> Arc<T> {
        // A poisoned lock only means another thread panicked mid-update of a cache entry;
        // the entry is replaced whole, so it is still consistent.
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((name, value)) = last.as_ref()
            && (Arc::ptr_eq(name, input) || **name == **input)
        {
            return Arc::clone(value);
        }
        let value = Arc::new(derive(input));
        *last = Some((Arc::clone(input), Arc::clone(&value)));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn derives_once_per_run_of_an_input() {
        let memo = PerInput::default();
        let calls = Cell::new(0);
        let derive = |name: &str| {
            calls.set(calls.get() + 1);
            name.len()
        };
        let (a, b): (Arc<str>, Arc<str>) = (Arc::from("a.ndjson"), Arc::from("bb.ndjson"));
        assert_eq!(*memo.get(&a, derive), 8);
        assert_eq!(*memo.get(&a, derive), 8);
        assert_eq!(*memo.get(&Arc::from("a.ndjson"), derive), 8);
        assert_eq!(calls.get(), 1);
        assert_eq!(*memo.get(&b, derive), 9);
        assert_eq!(*memo.get(&a, derive), 8);
        assert_eq!(calls.get(), 3);
    }
}

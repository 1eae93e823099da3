//! [`Document`]: what the envelope rules read of a body — the top-level value, the members of a
//! top-level object and of each object that is the value of a top-level member, every repeated
//! name at any depth — built by a [`Visitor`] from the reader's one pass.

use super::Kind;
use super::reader::{Container, Repeat, Scalar, Visitor};
use super::string::Str;
use std::borrow::Cow;
use std::ops::Range;

/// A kept value. Containers carry no content here; see [`Document::children`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Object,
    Array,
    /// The decoded string; borrowed from the body unless it had escapes.
    String(Cow<'a, str>),
    /// The number's lexeme exactly as written, e.g. `4.09e2`; see [`super::integer_value`].
    Number(&'a str),
    True,
    False,
    Null,
}

impl<'a> Value<'a> {
    pub fn kind(&self) -> Kind {
        match self {
            Value::Object => Kind::Object,
            Value::Array => Kind::Array,
            Value::String(_) => Kind::String,
            Value::Number(_) => Kind::Number,
            Value::True => Kind::True,
            Value::False => Kind::False,
            Value::Null => Kind::Null,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The string, borrowed from the body as [`Value::String`] holds it.
    pub fn string(&self) -> Option<Cow<'a, str>> {
        match self {
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::True => Some(true),
            Value::False => Some(false),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&'a str> {
        match self {
            Value::Number(lexeme) => Some(lexeme),
            _ => None,
        }
    }

    #[inline]
    fn of(scalar: Scalar<'a>) -> Self {
        match scalar {
            Scalar::String(s) => Value::String(s.decode()),
            Scalar::Number(lexeme) => Value::Number(lexeme),
            Scalar::True => Value::True,
            Scalar::False => Value::False,
            Scalar::Null => Value::Null,
        }
    }
}

/// One member of a kept object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member<'a> {
    /// The decoded name (`"st\u0061tus"` is `status`).
    pub name: Cow<'a, str>,
    /// The name token, quotes included.
    pub name_span: Range<usize>,
    pub value: Value<'a>,
    /// The whole value token (a container from its opening to its closing bracket).
    pub value_span: Range<usize>,
    /// An earlier member of the same object has the same name (this one wins lookups).
    pub repeated: bool,
    /// For an object value of a top-level member: its members, as a range of `Document::nested`.
    children: Option<Range<usize>>,
}

impl Member<'_> {
    pub fn kind(&self) -> Kind {
        self.value.kind()
    }

    /// From the name's opening quote to the end of the value.
    pub fn span(&self) -> Range<usize> {
        self.name_span.start..self.value_span.end
    }
}

/// The last member named `name` (the one a JSON consumer keeps when names repeat).
pub fn find<'m, 'a>(members: &'m [Member<'a>], name: &str) -> Option<&'m Member<'a>> {
    members.iter().rev().find(|member| member.name == name)
}

/// A repeated member name, found in any object at any depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate<'a> {
    /// The decoded name.
    pub name: Cow<'a, str>,
    /// The name token of the repeated (later) occurrence.
    pub span: Range<usize>,
    /// The name token of the first occurrence.
    pub first: Range<usize>,
    /// 2 for the second occurrence, 3 for the third, ….
    pub occurrence: u32,
}

/// A syntactically valid body, with what the rules need of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document<'a> {
    root: Value<'a>,
    root_span: Range<usize>,
    members: Vec<Member<'a>>,
    nested: Vec<Member<'a>>,
    duplicates: Vec<Duplicate<'a>>,
}

impl<'a> Document<'a> {
    pub fn root_kind(&self) -> Kind {
        self.root.kind()
    }

    /// The top-level value, without surrounding whitespace.
    pub fn root_span(&self) -> Range<usize> {
        self.root_span.clone()
    }

    /// The members of a top-level object, in document order, repeated names included; empty
    /// when the top-level value is not an object.
    pub fn members(&self) -> &[Member<'a>] {
        &self.members
    }

    /// The last top-level member named `name`.
    pub fn get(&self, name: &str) -> Option<&Member<'a>> {
        find(&self.members, name)
    }

    /// The members of `member`'s value when it is an object and `member` is a top-level member;
    /// empty otherwise (a member of another document, or of a deeper object, has none here).
    pub fn children(&self, member: &Member<'a>) -> &[Member<'a>] {
        member
            .children
            .clone()
            .and_then(|range| self.nested.get(range))
            .unwrap_or(&[])
    }

    /// Every repeated member name, in document order.
    pub fn duplicates(&self) -> &[Duplicate<'a>] {
        &self.duplicates
    }
}

/// The emptied buffers of documents done with, for the next one: a check that reuses them
/// allocates nothing for its members (callgrind: the allocations and frees of two vectors were
/// 5% of checking a typical envelope).
#[derive(Debug, Default)]
pub struct Spare {
    members: Vec<Member<'static>>,
    nested: Vec<Member<'static>>,
    duplicates: Vec<Duplicate<'static>>,
}

impl Document<'_> {
    /// Gives this document's buffers to `spare`, for the next [`super::parse_reusing`].
    pub fn recycle(self, spare: &mut Spare) {
        spare.members = relabel(self.members);
        spare.nested = relabel(self.nested);
        spare.duplicates = relabel(self.duplicates);
    }
}

/// `vec`'s allocation, emptied, for elements that differ only in lifetime. Safe Rust: std
/// collects an emptied `IntoIter` into a vector of a same-sized type in place, keeping the
/// buffer (were it not to, the result is merely a new, empty vector).
fn relabel<T, U>(mut vec: Vec<T>) -> Vec<U> {
    vec.clear();
    vec.into_iter().filter_map(|_| None).collect()
}

/// Builds a [`Document`]: keeps the values at depth 0, 1 (members of a top-level object) and 2
/// (members of an object that is such a member's value), and every duplicate.
pub(super) struct Builder<'a> {
    document: Document<'a>,
    root_is_object: bool,
    /// The value of the current top-level member is an object.
    level1_is_object: bool,
}

impl<'a> Builder<'a> {
    /// A builder that fills `spare`'s buffers, or new ones with room for a typical envelope.
    pub(super) fn new(spare: &mut Spare) -> Self {
        let reuse = |vec: &mut Vec<Member<'static>>, room: usize| {
            let mut vec: Vec<Member<'a>> = relabel(std::mem::take(vec));
            vec.reserve(room);
            vec
        };
        Builder {
            document: Document {
                root: Value::Null,
                root_span: 0..0,
                members: reuse(&mut spare.members, 8),
                nested: reuse(&mut spare.nested, 4),
                duplicates: relabel(std::mem::take(&mut spare.duplicates)),
            },
            root_is_object: false,
            level1_is_object: false,
        }
    }

    pub(super) fn finish(self) -> Document<'a> {
        self.document
    }

    /// Whether a value at `depth` is kept.
    #[inline]
    fn keeps(&self, depth: usize) -> bool {
        match depth {
            0 => true,
            1 => self.root_is_object,
            2 => self.root_is_object && self.level1_is_object,
            _ => false,
        }
    }

    /// The member whose value is at `depth`, when it is kept.
    #[inline]
    fn slot(&mut self, depth: usize) -> Option<&mut Member<'a>> {
        if !self.keeps(depth) {
            return None;
        }
        match depth {
            1 => self.document.members.last_mut(),
            2 => self.document.nested.last_mut(),
            _ => None,
        }
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    #[inline]
    fn open(&mut self, container: Container, at: usize, depth: usize) {
        let object = container == Container::Object;
        let value = if object { Value::Object } else { Value::Array };
        if depth == 0 {
            self.document.root = value;
            self.document.root_span = at..at + 1;
            self.root_is_object = object;
            return;
        }
        if depth == 1 {
            self.level1_is_object = object;
        }
        let nested_len = self.document.nested.len();
        if let Some(member) = self.slot(depth) {
            member.value = value;
            member.value_span = at..at + 1;
            if object && depth == 1 {
                member.children = Some(nested_len..nested_len);
            }
        }
    }

    #[inline]
    fn name(&mut self, name: Str<'a>, repeat: Option<Repeat>, depth: usize) {
        let repeated = repeat.is_some();
        if let Some(Repeat { first, occurrence }) = repeat {
            self.document.duplicates.push(Duplicate {
                name: name.decode(),
                span: name.span(),
                first,
                occurrence,
            });
        }
        if depth == 0 || !self.keeps(depth) {
            return;
        }
        let span = name.span();
        let member = Member {
            name: name.decode(),
            value: Value::Null,
            value_span: span.end..span.end,
            name_span: span,
            repeated,
            children: None,
        };
        if depth == 1 {
            self.document.members.push(member);
        } else {
            self.document.nested.push(member);
        }
    }

    #[inline]
    fn scalar(&mut self, scalar: Scalar<'a>, span: Range<usize>, depth: usize) {
        if depth == 0 {
            self.document.root = Value::of(scalar);
            self.document.root_span = span;
        } else if let Some(member) = self.slot(depth) {
            member.value = Value::of(scalar);
            member.value_span = span;
        }
    }

    #[inline]
    fn close(&mut self, _: Container, span: Range<usize>, depth: usize) {
        let nested_len = self.document.nested.len();
        if depth == 0 {
            self.document.root_span.end = span.end;
        } else if let Some(member) = self.slot(depth) {
            member.value_span.end = span.end;
            if let Some(children) = &mut member.children {
                children.end = nested_len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Duplicate, Member, relabel};

    #[test]
    fn relabelled_vectors_keep_their_allocation() {
        // What recycling is for: were std to stop collecting in place, this would say so.
        let text = String::from(r#"{"a": 1}"#);
        let mut members: Vec<Member<'_>> = Vec::with_capacity(8);
        members.extend(
            crate::contract::json::parse(text.as_bytes())
                .unwrap()
                .members
                .clone(),
        );
        let relabelled: Vec<Member<'static>> = relabel(members);
        assert!(relabelled.is_empty());
        assert!(relabelled.capacity() >= 8, "{}", relabelled.capacity());
        let duplicates: Vec<Duplicate<'static>> = relabel(Vec::<Duplicate<'_>>::with_capacity(3));
        assert!(duplicates.capacity() >= 3);
    }
}

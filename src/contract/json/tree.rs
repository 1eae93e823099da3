//! [`Tree`]: every value of a (small) document with its span, navigable by member name and
//! element, for readers that look deeper than the envelope (a HAR entry's
//! `request.postData.text`). Flat: nodes in document order, each knowing where its subtree
//! ends, so navigation needs no recursion and the tree is one allocation.
//!
//! A reader can name containers to keep whole, as one leaf with its span ([`super::tree_pruned`]):
//! a Newman body is an array of one number per byte, and a node per byte would cost some 60
//! times the body; the reader reads such a value from its text instead.

use super::Kind;
use super::reader::{Container, Repeat, Scalar, Visitor};
use super::string::Str;
use std::ops::Range;

/// A parsed value with all its descendants; see [`super::tree_prefix`].
#[derive(Clone, Debug)]
pub struct Tree<'a> {
    /// The text the spans index.
    text: &'a str,
    /// The top-level value (also `nodes[0]`).
    root: Node<'a>,
    nodes: Vec<Node<'a>>,
}

#[derive(Clone, Debug)]
struct Node<'a> {
    /// The member name, for a member of an object.
    name: Option<Str<'a>>,
    /// An earlier member of the same object has the same name.
    repeated: bool,
    value: NodeValue<'a>,
    span: Range<usize>,
    /// Index of the first node after this one's subtree.
    next: usize,
}

#[derive(Clone, Copy, Debug)]
enum NodeValue<'a> {
    Container(Container),
    Scalar(Scalar<'a>),
}

impl<'a> Tree<'a> {
    pub fn root(&self) -> NodeRef<'_, 'a> {
        NodeRef {
            tree: self,
            index: 0,
            node: &self.root,
        }
    }
}

/// One value of a [`Tree`].
#[derive(Clone, Copy, Debug)]
pub struct NodeRef<'t, 'a> {
    tree: &'t Tree<'a>,
    index: usize,
    node: &'t Node<'a>,
}

impl<'t, 'a> NodeRef<'t, 'a> {
    pub fn kind(&self) -> Kind {
        match self.node.value {
            NodeValue::Container(Container::Object) => Kind::Object,
            NodeValue::Container(Container::Array) => Kind::Array,
            NodeValue::Scalar(Scalar::String(_)) => Kind::String,
            NodeValue::Scalar(Scalar::Number(_)) => Kind::Number,
            NodeValue::Scalar(Scalar::True) => Kind::True,
            NodeValue::Scalar(Scalar::False) => Kind::False,
            NodeValue::Scalar(Scalar::Null) => Kind::Null,
        }
    }

    /// The value's token (a container from bracket to bracket).
    pub fn span(&self) -> Range<usize> {
        self.node.span.clone()
    }

    /// The member name, when this value is a member of an object.
    pub fn name(&self) -> Option<Str<'a>> {
        self.node.name
    }

    /// An earlier member of the same object has the same name.
    pub fn repeated(&self) -> bool {
        self.node.repeated
    }

    /// The string token, when the value is a string.
    pub fn as_str(&self) -> Option<Str<'a>> {
        match self.node.value {
            NodeValue::Scalar(Scalar::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The number's lexeme, when the value is a number.
    pub fn as_number(&self) -> Option<&'a str> {
        match self.node.value {
            NodeValue::Scalar(Scalar::Number(lexeme)) => Some(lexeme),
            _ => None,
        }
    }

    /// The value's JSON text, as written.
    pub fn raw(&self) -> &'a str {
        // Spans come from the reader's pass over this very text.
        self.tree.text.get(self.span()).unwrap_or_default()
    }

    pub fn is_null(&self) -> bool {
        matches!(self.node.value, NodeValue::Scalar(Scalar::Null))
    }

    /// The members of an object or the elements of an array, in document order; nothing for
    /// a scalar.
    pub fn children(&self) -> Children<'t, 'a> {
        Children {
            tree: self.tree,
            at: self.index + 1,
            end: self.node.next,
        }
    }

    /// The last member named `name` (the one a JSON consumer keeps), when this is an object.
    pub fn get(&self, name: &str) -> Option<NodeRef<'t, 'a>> {
        if self.kind() != Kind::Object {
            return None;
        }
        self.children()
            .filter(|child| child.name().is_some_and(|n| n.is(name)))
            .last()
    }
}

/// The children of a node; see [`NodeRef::children`].
#[derive(Clone, Debug)]
pub struct Children<'t, 'a> {
    tree: &'t Tree<'a>,
    at: usize,
    end: usize,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = NodeRef<'t, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.end {
            return None;
        }
        let index = self.at;
        let node = self.tree.nodes.get(index)?;
        // A subtree always ends after its node, so this moves forward.
        self.at = node.next.max(index + 1);
        Some(NodeRef {
            tree: self.tree,
            index,
            node,
        })
    }
}

/// Builds a [`Tree`] from the reader's events.
#[derive(Default)]
pub(super) struct Builder<'a, 'p> {
    nodes: Vec<Node<'a>>,
    /// The open containers, by node index.
    open: Vec<usize>,
    name: Option<(Str<'a>, bool)>,
    /// Paths of member names from the root whose container values are kept as leaves.
    pruned: &'p [&'p [&'p str]],
    /// Inside a pruned container: the node, and how deep the reader is inside it.
    skipping: Option<(usize, usize)>,
}

impl<'a, 'p> Builder<'a, 'p> {
    pub(super) fn pruning(pruned: &'p [&'p [&'p str]]) -> Self {
        Builder {
            pruned,
            ..Builder::default()
        }
    }

    /// Whether a container opening now, as the value of the member named `name`, is pruned:
    /// every open container but the root is a member named as the path says.
    fn prunes(&self, name: Option<&Str<'a>>) -> bool {
        let Some(name) = name else {
            return false;
        };
        self.pruned.iter().any(|path| {
            let Some((last, parents)) = path.split_last() else {
                return false;
            };
            parents.len() + 1 == self.open.len()
                && name.is(last)
                && parents
                    .iter()
                    .zip(self.open.iter().skip(1))
                    .all(|(want, &index)| {
                        self.nodes
                            .get(index)
                            .and_then(|node| node.name.as_ref())
                            .is_some_and(|name| name.is(want))
                    })
        })
    }

    /// The tree of `text`, when the pass saw a value (a successful one always does).
    pub(super) fn finish(self, text: &'a str) -> Option<Tree<'a>> {
        let root = self.nodes.first()?.clone();
        Some(Tree {
            text,
            root,
            nodes: self.nodes,
        })
    }

    fn push(&mut self, value: NodeValue<'a>, span: Range<usize>) -> usize {
        let index = self.nodes.len();
        let (name, repeated) = match self.name.take() {
            Some((name, repeated)) => (Some(name), repeated),
            None => (None, false),
        };
        self.nodes.push(Node {
            name,
            repeated,
            value,
            span,
            next: index + 1,
        });
        index
    }
}

impl<'a> Visitor<'a> for Builder<'a, '_> {
    fn open(&mut self, container: Container, at: usize, _: usize) {
        if let Some((_, depth)) = &mut self.skipping {
            *depth += 1;
            return;
        }
        let pruned = self.prunes(self.name.as_ref().map(|(name, _)| name));
        let index = self.push(NodeValue::Container(container), at..at + 1);
        if pruned {
            self.skipping = Some((index, 1));
        } else {
            self.open.push(index);
        }
    }

    fn name(&mut self, name: Str<'a>, repeat: Option<Repeat>, _: usize) {
        if self.skipping.is_none() {
            self.name = Some((name, repeat.is_some()));
        }
    }

    fn scalar(&mut self, scalar: Scalar<'a>, span: Range<usize>, _: usize) {
        if self.skipping.is_none() {
            self.push(NodeValue::Scalar(scalar), span);
        }
    }

    fn close(&mut self, _: Container, span: Range<usize>, _: usize) {
        if let Some((index, depth)) = &mut self.skipping {
            *depth -= 1;
            if *depth == 0 {
                // The pruned container ends: a leaf spanning it.
                let index = *index;
                self.skipping = None;
                if let Some(node) = self.nodes.get_mut(index) {
                    node.span = span;
                }
            }
            return;
        }
        let next = self.nodes.len();
        if let Some(node) = self.open.pop().and_then(|index| self.nodes.get_mut(index)) {
            node.span = span;
            node.next = next;
        }
    }
}

//! The reader's visitor API: trees and their spans, string decoding and the offset map, prefix
//! reads, the depth limit and duplicates. `contract::tests` covers syntax errors and
//! [`super::Document`].

use super::*;
use std::borrow::Cow;

fn tree(text: &str) -> Tree<'_> {
    tree_prefix(text, false, &mut Scratch::default()).unwrap().0
}

#[test]
fn pruned_containers_are_leaves() {
    let text =
        r#"{"r": {"s": {"data": [1, [2], {"x": 3}], "type": "B"}, "data": [4]}, "data": [5]}"#;
    let pruned: &[&[&str]] = &[&["r", "s", "data"], &["data"]];
    let (tree, end) = tree_pruned(text, false, &mut Scratch::default(), pruned).unwrap();
    assert_eq!(end, text.len());
    let s = tree.root().get("r").unwrap().get("s").unwrap();
    let data = s.get("data").unwrap();
    assert_eq!(data.kind(), Kind::Array);
    assert_eq!(data.raw(), r#"[1, [2], {"x": 3}]"#);
    assert_eq!(data.children().count(), 0);
    // The members after a pruned value are kept, and only the named paths are pruned.
    assert_eq!(s.get("type").unwrap().as_str().unwrap().decode(), "B");
    let other = tree.root().get("r").unwrap().get("data").unwrap();
    assert_eq!(other.children().count(), 1);
    let top = tree.root().get("data").unwrap();
    assert_eq!((top.raw(), top.children().count()), ("[5]", 0));
    // A scalar at a pruned path is an ordinary leaf; a pruned value is still validated.
    let (tree, _) =
        tree_pruned(r#"{"data": "x"}"#, false, &mut Scratch::default(), pruned).unwrap();
    assert_eq!(tree.root().get("data").unwrap().kind(), Kind::String);
    assert!(tree_pruned(r#"{"data": [1,]}"#, false, &mut Scratch::default(), pruned).is_err());
}

#[test]
fn tree_spans_and_navigation() {
    let text = r#" {"a": [1, {"b": "x"}], "c": null, "a": true} tail"#;
    let (tree, end) = tree_prefix(text, false, &mut Scratch::default()).unwrap();
    assert_eq!(&text[end..], " tail");
    let root = tree.root();
    assert_eq!(root.kind(), Kind::Object);
    assert_eq!(root.raw(), &text[1..end]);
    // `get` finds the last member of a name, which knows it repeats.
    let a = root.get("a").unwrap();
    assert_eq!(a.kind(), Kind::True);
    assert!(a.repeated());
    assert_eq!(&text[a.name().unwrap().span()], "\"a\"");
    let names: Vec<String> = root
        .children()
        .map(|m| m.name().unwrap().decode().into_owned())
        .collect();
    assert_eq!(names, ["a", "c", "a"]);
    let first = root.children().next().unwrap();
    assert!(!first.repeated());
    assert_eq!(first.raw(), r#"[1, {"b": "x"}]"#);
    let elements: Vec<&str> = first.children().map(|e| e.raw()).collect();
    assert_eq!(elements, ["1", r#"{"b": "x"}"#]);
    let b = first.children().nth(1).unwrap().get("b").unwrap();
    assert_eq!(&text[b.span()], "\"x\"");
    assert_eq!(b.as_str().unwrap().decode(), "x");
    assert!(root.get("c").unwrap().is_null());
    assert!(root.get("missing").is_none());
    assert_eq!(b.children().count(), 0);
    assert!(b.get("b").is_none());
}

#[test]
fn names_compare_decoded() {
    let text = r#"{"n\u0061me": "Content-\u0054ype", "name": 1}"#;
    let tree = tree(text);
    let name = tree.root().get("name").unwrap();
    // The escaped and the plain spelling are one name: the second repeats the first.
    assert!(name.repeated());
    let first = tree.root().children().next().unwrap();
    let value = first.as_str().unwrap();
    assert!(value.has_escapes());
    assert!(value.is("Content-Type"));
    assert_eq!(value.raw(), r"Content-\u0054ype");
}

#[test]
fn string_decoding_borrows_plain_strings() {
    let text = r#"["plain", "a\"b\\c\/d\n\u00e9\ud83d\ude00"]"#;
    let tree = tree(text);
    let mut strings = tree.root().children().map(|e| e.as_str().unwrap());
    let plain = strings.next().unwrap();
    assert!(matches!(plain.decode(), Cow::Borrowed("plain")));
    let escaped = strings.next().unwrap();
    assert_eq!(escaped.decode(), "a\"b\\c/d\n\u{e9}\u{1f600}");
}

#[test]
fn decoded_offsets_map_back_through_escapes() {
    let text = r#"  "a\"b\u00e9\n{\ud83d\ude00}x""#;
    let string = tree(text).root().as_str().unwrap();
    let (decoded, map) = string.decode_mapped();
    assert_eq!(decoded, "a\"b\u{e9}\n{\u{1f600}}x");
    let find = |s: &str| text.find(s).unwrap();
    assert_eq!(map.raw_offset(0), find("a")); // a
    assert_eq!(map.raw_offset(1), find("\\\"")); // \"
    assert_eq!(map.raw_offset(2), find("b\\u")); // b
    assert_eq!(map.raw_offset(3), find("\\u00e9")); // é, first byte
    assert_eq!(map.raw_offset(4), find("\\u00e9")); // é, second byte
    assert_eq!(map.raw_offset(5), find("\\n"));
    assert_eq!(map.raw_offset(6), find("{"));
    assert_eq!(map.raw_offset(7), find("\\ud83d"));
    assert_eq!(map.raw_offset(11), find("}"));
    assert_eq!(map.raw_offset(12), find("x"));
    assert_eq!(map.raw_offset(13), text.len() - 1); // the end: the closing quote
    assert_eq!(map.raw_span(12..13), find("x")..text.len() - 1);

    // Without escapes the map is a shift; the empty string maps to its closing quote.
    let plain = tree(r#" "abc""#).root().as_str().unwrap();
    let (_, map) = plain.decode_mapped();
    assert_eq!(map.raw_offset(0), 2);
    assert_eq!(map.raw_offset(3), 5);
    let empty = tree(r#""""#).root().as_str().unwrap();
    assert_eq!(empty.decode_mapped().1.raw_offset(0), 1);
}

#[test]
fn prefix_reads_ask_for_more_where_the_text_is_cut() {
    let full = r#"{"response": {"status": 409, "text": "\ud83d\ude00"}}, {"next": 1}"#;
    let end = full.find(", {").unwrap();
    let mut scratch = Scratch::default();
    // Cut anywhere inside the value, with more to come: incomplete, never an error.
    for cut in 0..end {
        let result = tree_prefix(&full[..cut], true, &mut scratch);
        assert!(
            matches!(result, Err(PrefixError::Incomplete)),
            "cut at {cut}: {result:?}"
        );
    }
    // A value that ends where the text ends may go on (a number); at the end of the input
    // it is complete.
    assert!(matches!(
        tree_prefix("12", true, &mut scratch),
        Err(PrefixError::Incomplete)
    ));
    assert_eq!(tree_prefix("12", false, &mut scratch).unwrap().1, 2);
    assert_eq!(tree_prefix(full, true, &mut scratch).unwrap().1, end);
    // A real error well before the end is reported as it is.
    let broken = r#"{"a" 1}                          "#;
    match tree_prefix(broken, true, &mut scratch) {
        Err(PrefixError::Syntax(error)) => {
            assert_eq!(error.kind, SyntaxErrorKind::ExpectedColon);
            assert_eq!(error.offset, 5);
        }
        other => panic!("{other:?}"),
    }
    // At the end of the input, the cut is the error.
    assert!(matches!(
        tree_prefix(r#"{"a": "#, false, &mut scratch),
        Err(PrefixError::Syntax(SyntaxError {
            kind: SyntaxErrorKind::ExpectedValue { found: None },
            ..
        }))
    ));
}

#[test]
fn the_depth_limit_holds_for_every_visitor() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let mut scratch = Scratch::default();
    let (tree, _) = tree_prefix(&ok, false, &mut scratch).unwrap();
    let mut node = tree.root();
    let mut depth = 1;
    while let Some(child) = node.children().next() {
        node = child;
        depth += 1;
    }
    assert_eq!(depth, MAX_DEPTH);
    for result in [
        validate(deep.as_bytes()),
        visit(deep.as_bytes(), &mut scratch, &mut ()),
        tree_prefix(&deep, false, &mut scratch)
            .map(|_| ())
            .map_err(|e| match e {
                PrefixError::Syntax(error) => error,
                PrefixError::Incomplete => panic!("incomplete"),
            }),
    ] {
        let error = result.unwrap_err();
        assert_eq!(error.kind, SyntaxErrorKind::TooDeep);
        assert_eq!(error.offset, MAX_DEPTH);
    }
}

/// Records every event, to pin the protocol visitors rely on.
#[derive(Default)]
struct Events(Vec<String>);

impl<'a> Visitor<'a> for Events {
    fn open(&mut self, container: Container, at: usize, depth: usize) {
        self.0.push(format!("open {container:?} {at} d{depth}"));
    }
    fn name(&mut self, name: Str<'a>, repeat: Option<Repeat>, depth: usize) {
        let repeat = repeat.map_or(String::new(), |r| {
            format!(" repeats {:?} #{}", r.first, r.occurrence)
        });
        self.0
            .push(format!("name {} d{depth}{repeat}", name.decode()));
    }
    fn scalar(&mut self, scalar: Scalar<'a>, span: Range<usize>, depth: usize) {
        let what = match scalar {
            Scalar::String(s) => format!("{:?}", s.decode()),
            Scalar::Number(n) => n.to_string(),
            other => format!("{other:?}"),
        };
        self.0.push(format!("scalar {what} {span:?} d{depth}"));
    }
    fn close(&mut self, container: Container, span: Range<usize>, depth: usize) {
        self.0
            .push(format!("close {container:?} {span:?} d{depth}"));
    }
}

#[test]
fn events_in_document_order_with_duplicates_in_nested_objects() {
    let text = r#"{"o":{"k":1,"k":[true]},"k":{"k":2,"\u006b":3,"k":4}}"#;
    let mut events = Events::default();
    visit(text.as_bytes(), &mut Scratch::default(), &mut events).unwrap();
    assert_eq!(
        events.0,
        [
            "open Object 0 d0",
            "name o d1",
            "open Object 5 d1",
            "name k d2",
            "scalar 1 10..11 d2",
            "name k d2 repeats 6..9 #2",
            "open Array 16 d2",
            "scalar True 17..21 d3",
            "close Array 16..22 d2",
            "close Object 5..23 d1",
            // The same name one level up, in another object: no repeat.
            "name k d1",
            "open Object 28 d1",
            "name k d2",
            "scalar 2 33..34 d2",
            "name k d2 repeats 29..32 #2",
            "scalar 3 44..45 d2",
            "name k d2 repeats 29..32 #3",
            "scalar 4 50..51 d2",
            "close Object 28..52 d1",
            "close Object 0..53 d0",
        ]
    );
}

#[test]
fn a_recycled_document_leaves_nothing_behind() {
    // Bodies of every shape in turn through one set of buffers: each reads as if fresh.
    let bodies = [
        r#"{"type": "about:blank", "status": 409, "properties": {"errorCode": "X", "a": [1]}}"#,
        r#"{"a": 1, "a": 2, "b": {"c": 1, "c": 2}}"#,
        r#"[1, 2]"#,
        r#"{"st\u0061tus": "x", "properties": {}}"#,
        r#"{"a": {"b": {"c": {"d": 1, "d": 2}}}}"#,
        r#"{}"#,
        r#"{"properties": 1"#,
        r#"{"title": "Conflict"}"#,
    ];
    let mut scratch = Scratch::default();
    let mut spare = Spare::default();
    for _ in 0..2 {
        for body in bodies {
            let fresh = parse(body.as_bytes());
            let reused = parse_reusing(body.as_bytes(), &mut scratch, &mut spare);
            assert_eq!(reused, fresh, "{body}");
            if let Ok(document) = reused {
                document.recycle(&mut spare);
            }
        }
    }
}

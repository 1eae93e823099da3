//! The request body of a Hurl `curl_cmd`, the one place a Hurl report records it. Hurl 8
//! writes the command as POSIX shell words: bare words, `'…'` (literal) and `$'…'` (with
//! `\n`, `\t`, `\'`, `\\` and `\xHH` escapes), the body as `--data '…'` (text, and each form
//! field), `--data $'\x..'` (binary), `--data-binary '@file'` (a file) or `--form` (multipart).
//!
//! The body is what curl would send: the `--data` values joined with `&`. What the command
//! does not hold — a body read from a file, a multipart form, a quoting this parser does not
//! read — is [`Unknown`], never a guess: the idempotency rules then skip the request.

/// Why the body is not known.
#[derive(Debug, PartialEq, Eq)]
pub struct Unknown(pub &'static str);

/// One shell word, and whether any of it was quoted (a quoted word is never an option).
struct Word {
    bytes: Vec<u8>,
    quoted: bool,
}

/// The body `command` sends; empty when it sends none.
pub fn body(command: &str) -> Result<Vec<u8>, Unknown> {
    let words = words(command)?;
    let mut words = words.into_iter();
    match words.next() {
        Some(word) if !word.quoted && word.bytes == b"curl" => {}
        _ => return Err(Unknown("it does not start with `curl`")),
    }
    let mut data: Vec<Vec<u8>> = Vec::new();
    while let Some(word) = words.next() {
        if word.quoted {
            continue;
        }
        match word.bytes.as_slice() {
            b"--data" | b"-d" | b"--data-ascii" | b"--data-binary" | b"--data-raw" | b"--json" => {
                let raw = word.bytes.as_slice() == b"--data-raw";
                let value = words.next().ok_or(Unknown("`--data` has no value"))?.bytes;
                if !raw && value.first() == Some(&b'@') {
                    return Err(Unknown("the body is read from a file (`@…`)"));
                }
                data.push(value);
            }
            b"--data-urlencode" => {
                return Err(Unknown("the body is built with `--data-urlencode`"));
            }
            b"--form" | b"-F" | b"--form-string" => {
                return Err(Unknown("the body is a multipart form (`--form`)"));
            }
            b"--upload-file" | b"-T" => {
                return Err(Unknown("the body is a file (`--upload-file`)"));
            }
            _ => {}
        }
    }
    Ok(data.join(&b'&'))
}

/// The shell words of `command`.
fn words(command: &str) -> Result<Vec<Word>, Unknown> {
    let mut words = Vec::new();
    let mut current: Option<Word> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if let Some(word) = current.take() {
                    words.push(word);
                }
            }
            '\'' => {
                let word = current.get_or_insert_with(Word::new);
                word.quoted = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(Unknown("a quote is not closed")),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                let word = current.get_or_insert_with(Word::new);
                word.quoted = true;
                ansi_c(&mut chars, word)?;
            }
            '"' | '`' => return Err(Unknown("it uses a quoting Hurl does not write")),
            '\\' => match chars.next() {
                Some(c) => current.get_or_insert_with(Word::new).push(c),
                None => return Err(Unknown("it ends in a backslash")),
            },
            c => current.get_or_insert_with(Word::new).push(c),
        }
    }
    if let Some(word) = current {
        words.push(word);
    }
    Ok(words)
}

/// The rest of a `$'…'` word, after its opening quote.
fn ansi_c(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    word: &mut Word,
) -> Result<(), Unknown> {
    loop {
        match chars.next() {
            None => return Err(Unknown("a quote is not closed")),
            Some('\'') => return Ok(()),
            Some('\\') => match chars.next() {
                Some('n') => word.bytes.push(b'\n'),
                Some('t') => word.bytes.push(b'\t'),
                Some('r') => word.bytes.push(b'\r'),
                Some('\'') => word.bytes.push(b'\''),
                Some('"') => word.bytes.push(b'"'),
                Some('\\') => word.bytes.push(b'\\'),
                Some('x') => {
                    let mut value = 0u8;
                    let mut digits = 0;
                    while digits < 2 {
                        let Some(digit) = chars.peek().and_then(|c| c.to_digit(16)) else {
                            break;
                        };
                        chars.next();
                        // Two hex digits at most: the value fits a byte.
                        value = value.wrapping_mul(16).wrapping_add(digit as u8);
                        digits += 1;
                    }
                    if digits == 0 {
                        return Err(Unknown("`\\x` without hex digits"));
                    }
                    word.bytes.push(value);
                }
                _ => return Err(Unknown("an escape Hurl does not write")),
            },
            Some(c) => word.push(c),
        }
    }
}

impl Word {
    fn new() -> Self {
        Word {
            bytes: Vec::new(),
            quoted: false,
        }
    }

    fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.bytes
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_as_hurl_writes_them() {
        let cmd = "curl --header 'Content-Type: application/json' --header 'Idempotency-Key: 7f3c' \
                   --data '{\"amount\": 6}' 'http://127.0.0.1:8719/entity/JSON/order/1'";
        assert_eq!(body(cmd).unwrap(), br#"{"amount": 6}"#);
        assert_eq!(body("curl 'http://x/'").unwrap(), b"");
        assert_eq!(body("curl --request PUT 'http://x/'").unwrap(), b"");
        // A quote, a newline or a tab makes Hurl use `$'…'`.
        assert_eq!(
            body(r#"curl --data $'{\n\t\"a\": \'b\\c\'}' 'http://x/'"#).unwrap(),
            b"{\n\t\"a\": 'b\\c'}"
        );
        assert_eq!(
            body(r"curl --data $'\x00\xff\x01' 'http://x/'").unwrap(),
            b"\x00\xff\x01"
        );
        assert_eq!(
            body("curl --data 'a=1' --data 'b=%202' 'http://x/'").unwrap(),
            b"a=1&b=%202"
        );
        // A backslash in a plain quote is itself.
        assert_eq!(body(r"curl --data 'a\nb' 'http://x/'").unwrap(), br"a\nb");
        // A quoted word is a value, never an option.
        assert_eq!(body("curl --user-agent '--data' 'http://x/'").unwrap(), b"");
    }

    #[test]
    fn bodies_not_in_the_command_are_unknown() {
        for cmd in [
            "curl --data-binary '@/tmp/body.bin' 'http://x/'",
            "curl --form 'a=b' 'http://x/'",
            "curl --data 'unterminated",
            "curl --data \"double\" 'http://x/'",
            "curl --data $'\\q' 'http://x/'",
            "wget 'http://x/'",
            "curl --data",
        ] {
            assert!(body(cmd).is_err(), "{cmd}");
        }
    }
}

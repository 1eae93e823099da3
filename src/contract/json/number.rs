//! Numbers: the exact integer value of a lexeme, without floating point.

/// What a number lexeme is worth as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntegerValue {
    /// The number is integral and fits an `i64` (`409`, `409.0`, `4.09e2`; `-0` is 0).
    Exact(i64),
    /// The number is integral but does not fit an `i64` (`1e400`).
    OutOfRange,
    /// The number has a fractional part (`409.5`).
    Fraction,
}

/// Evaluates a JSON number lexeme exactly (no floating point); `None` if `lexeme` is not an
/// RFC 8259 number.
pub fn integer_value(lexeme: &str) -> Option<IntegerValue> {
    let bytes = lexeme.as_bytes();
    // The common case, a plain integer such as `409`, folded at once (18 digits fit an i64).
    if (1..=18).contains(&bytes.len())
        && bytes.iter().all(u8::is_ascii_digit)
        && (bytes.len() == 1 || bytes.first() != Some(&b'0'))
    {
        let value = bytes
            .iter()
            .fold(0i64, |value, digit| value * 10 + i64::from(digit - b'0'));
        return Some(IntegerValue::Exact(value));
    }
    let mut at = 0;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        at += 1;
    }
    let digits_from = |from: usize| {
        bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let int_len = digits_from(at);
    let int_digits = bytes.get(at..at + int_len)?;
    if int_len == 0 || (int_len > 1 && int_digits.first() == Some(&b'0')) {
        return None;
    }
    at += int_len;
    let mut frac_digits: &[u8] = &[];
    if bytes.get(at) == Some(&b'.') {
        let len = digits_from(at + 1);
        if len == 0 {
            return None;
        }
        frac_digits = bytes.get(at + 1..at + 1 + len)?;
        at += 1 + len;
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        let exp_negative = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let len = digits_from(at);
        if len == 0 {
            return None;
        }
        for digit in bytes.get(at..at + len)? {
            // Saturates far beyond any body length, so the sums below cannot overflow.
            exponent = (exponent * 10 + i64::from(digit - b'0')).min(1 << 48);
        }
        if exp_negative {
            exponent = -exponent;
        }
        at += len;
    }
    if at != bytes.len() {
        return None;
    }

    // value = digits × 10^(exponent − fraction length); find the significant digits.
    let digits = || int_digits.iter().chain(frac_digits).copied();
    let total = int_digits.len() + frac_digits.len();
    let Some(lead) = digits().position(|d| d != b'0') else {
        return Some(IntegerValue::Exact(0));
    };
    let trailing_zeros = digits().rev().take_while(|&d| d == b'0').count();
    let significant = total - lead - trailing_zeros;
    let scale = exponent - len_i64(frac_digits.len()) + len_i64(trailing_zeros);
    if scale < 0 {
        // The last significant digit is non-zero and sits right of the decimal point.
        return Some(IntegerValue::Fraction);
    }
    if len_i64(significant) + scale > 19 {
        return Some(IntegerValue::OutOfRange);
    }
    let mut value: i128 = 0;
    for digit in digits().skip(lead).take(significant) {
        value = value * 10 + i128::from(digit - b'0');
    }
    for _ in 0..scale {
        value *= 10;
    }
    if negative {
        value = -value;
    }
    Some(i64::try_from(value).map_or(IntegerValue::OutOfRange, IntegerValue::Exact))
}

fn len_i64(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX / 4)
}

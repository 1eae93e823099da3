//! Undoing a `Content-Encoding`, for captures that keep a body as it came over the wire
//! (Hurl's store files). `gzip` (and `x-gzip`) and `deflate` (zlib, or the raw deflate some
//! servers send) are decoded with flate2, `identity` is nothing; codings listed one after the
//! other (`gzip, gzip`) are undone last first. Anything else (`br`, `zstd`, `compress`) is a
//! body `cyoda check` cannot read, and says so: it never checks the encoded bytes instead.
//!
//! The decoded body is bounded by [`MAX_RESPONSE`]: decoding stops one byte past it, so a
//! small body that inflates to gigabytes costs the limit, not the gigabytes.

use crate::check::MAX_RESPONSE;
use crate::contract::text::quote;
use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};
use std::io::Read;

/// `body` with the codings of the `Content-Encoding` value `codings` undone, or why not.
pub(super) fn decode(body: Vec<u8>, codings: &str) -> Result<Vec<u8>, String> {
    let mut body = body;
    let codings: Vec<&str> = codings
        .split(',')
        .map(str::trim)
        .filter(|coding| !coding.is_empty())
        .collect();
    for coding in codings.iter().rev() {
        let lower = coding.to_ascii_lowercase();
        body = match lower.as_str() {
            "identity" => body,
            "gzip" | "x-gzip" => inflate(MultiGzDecoder::new(body.as_slice()), coding)?,
            "deflate" => match inflate(ZlibDecoder::new(body.as_slice()), coding) {
                Ok(decoded) => decoded,
                // RFC 9110 says zlib; some servers send raw deflate.
                Err(_) => inflate(DeflateDecoder::new(body.as_slice()), coding)?,
            },
            _ => {
                return Err(format!(
                    "is encoded with {}, which cyoda check cannot decode (it decodes gzip and deflate)",
                    quote(coding)
                ));
            }
        };
    }
    Ok(body)
}

fn inflate(decoder: impl Read, coding: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .take(MAX_RESPONSE as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|error| {
            format!(
                "is marked Content-Encoding {} but does not decode: {error}",
                quote(coding)
            )
        })?;
    if out.len() > MAX_RESPONSE {
        return Err(format!(
            "inflates to more than the limit of {} MiB",
            MAX_RESPONSE >> 20
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::{GzEncoder, ZlibEncoder};
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn codings_are_undone_last_first() {
        assert_eq!(decode(gzip(b"{}"), "gzip").unwrap(), b"{}");
        assert_eq!(decode(gzip(&gzip(b"{}")), "gzip, X-Gzip").unwrap(), b"{}");
        assert_eq!(decode(b"{}".to_vec(), "identity").unwrap(), b"{}");
        let mut zlib = ZlibEncoder::new(Vec::new(), Compression::fast());
        zlib.write_all(b"{}").unwrap();
        assert_eq!(decode(zlib.finish().unwrap(), "deflate").unwrap(), b"{}");
        let unknown = decode(b"x".to_vec(), "br").unwrap_err();
        assert!(unknown.contains("\"br\""), "{unknown}");
        let broken = decode(b"not gzip".to_vec(), "gzip").unwrap_err();
        assert!(broken.contains("does not decode"), "{broken}");
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        // 80 MiB of zeros in some 80 KB: decoding stops one byte past 64 MiB.
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..80 {
            encoder.write_all(&chunk).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        assert!(bomb.len() < 1 << 20);
        let error = decode(bomb, "gzip").unwrap_err();
        assert_eq!(error, "inflates to more than the limit of 64 MiB");
    }
}

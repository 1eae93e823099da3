//! The pinned list of catalog codes (`help/errors.tsv`) and the catalog version
//! (`help/CATALOG_VERSION`): the facts the error pages must agree with.

use crate::contract::catalog::{Retryability, TicketRule};

/// File holding the pinned codes, relative to the help root.
pub const PINNED_FILE: &str = "errors.tsv";
/// File holding the cyoda-go version the catalog documents, relative to the help root.
pub const VERSION_FILE: &str = "CATALOG_VERSION";

/// One row of `help/errors.tsv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedCode {
    pub code: String,
    pub status: u16,
    pub reason_phrase: String,
    pub retryable: Retryability,
    pub ticket: TicketRule,
    pub reserved: bool,
    pub see_also: Vec<String>,
    /// 1-based line in the TSV, for messages.
    pub line: usize,
}

/// Parses the TSV; returns the rows and one `(line, message)` per malformed row.
pub fn parse(text: &str) -> (Vec<PinnedCode>, Vec<(usize, String)>) {
    const HEADER: &str = "code\thttp_status\treason_phrase\tretryable\tticket\treserved\tsee_also";
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        if line == 1 {
            if raw != HEADER {
                problems.push((line, format!("the header must be `{HEADER}`")));
            }
            continue;
        }
        match parse_row(raw, line) {
            Ok(row) => rows.push(row),
            Err(message) => problems.push((line, message)),
        }
    }
    (rows, problems)
}

fn parse_row(raw: &str, line: usize) -> Result<PinnedCode, String> {
    let fields: Vec<&str> = raw.split('\t').collect();
    let [code, status, reason, retryable, ticket, reserved, see_also] = fields.as_slice() else {
        return Err(format!(
            "expected 7 tab-separated fields, found {}",
            fields.len()
        ));
    };
    let status = status
        .parse::<u16>()
        .map_err(|_| format!("http_status `{status}` is not a number"))?;
    let retryable = Retryability::parse(retryable)
        .ok_or_else(|| format!("retryable `{retryable}` is not yes, no or conditional"))?;
    let ticket = TicketRule::parse(ticket)
        .ok_or_else(|| format!("ticket `{ticket}` is not required or absent"))?;
    let reserved = match *reserved {
        "yes" => true,
        "no" => false,
        other => return Err(format!("reserved `{other}` is not yes or no")),
    };
    Ok(PinnedCode {
        code: (*code).to_string(),
        status,
        reason_phrase: (*reason).to_string(),
        retryable,
        ticket,
        reserved,
        see_also: see_also
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_reports_bad_ones_by_line() {
        let text = "code\thttp_status\treason_phrase\tretryable\tticket\treserved\tsee_also\n\
                    CONFLICT\t409\tConflict\tyes\tabsent\tno\terrors,errors.TX_CONFLICT\n\
                    BROKEN\t40x\tConflict\tyes\tabsent\tno\t\n";
        let (rows, problems) = parse(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].code, "CONFLICT");
        assert_eq!(rows[0].see_also, ["errors", "errors.TX_CONFLICT"]);
        assert_eq!(
            problems,
            [(3, "http_status `40x` is not a number".to_string())]
        );
    }
}

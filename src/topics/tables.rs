//! The pinned catalog tables, one per cyoda-go version (`help/catalog/<version>.tsv`, copied
//! from the shared catalog as they are), and the one-line descriptions of their `server_notes`
//! tags (`help/catalog/server-notes.tsv`). These are the facts every error page must agree with.

use crate::contract::catalog::{Retryability, TicketRule};
use crate::contract::version::Version;

/// The folder of the tables, relative to the help root.
pub const TABLE_DIR: &str = "catalog";
/// The tag descriptions, relative to the help root.
pub const NOTES_FILE: &str = "catalog/server-notes.tsv";

/// Topics of cyoda-go's own `cyoda help` that the tables cite in `see_also` but this tool does
/// not ship (they document the server's features, not its errors). Their see-also lines are
/// left out of our pages; any other target must be one of our topics.
pub const UPSTREAM_ONLY_TOPICS: &[&str] = &[
    "config",
    "config.auth",
    "config.database",
    "models",
    "search",
    "workflows",
    "workflows.schema-version",
];

/// The header every version table starts with.
pub const TABLE_HEADER: &str = "code\thttp_status\treason_phrase\tretryable\tticket\treserved\tsee_also\tmeaning\tserver_properties\tserver_notes";
/// The header of the tag descriptions.
pub const NOTES_HEADER: &str = "tag\tcode\tnote\tended";

/// One row of a version table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub status: u16,
    pub reason_phrase: String,
    pub retryable: Retryability,
    pub ticket: TicketRule,
    pub reserved: bool,
    pub see_also: Vec<String>,
    /// Extra `properties` members the version's server sets for the code.
    pub server_properties: Vec<String>,
    /// Where the version's server differs from its documentation.
    pub server_notes: Vec<String>,
    /// 1-based line in the table, for messages.
    pub line: usize,
}

/// One version's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub version: Version,
    /// Path for messages: `help/catalog/0.8.3.tsv`.
    pub display: String,
    /// In table order.
    pub rows: Vec<Row>,
}

impl Table {
    pub fn row(&self, code: &str) -> Option<&Row> {
        self.rows.iter().find(|row| row.code == code)
    }
}

/// What a `server_notes` tag means for one code, in our words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagNote {
    pub tag: String,
    pub code: String,
    /// True of the server in every version whose table carries the tag for the code.
    pub note: String,
    /// What a client sees once the tag stops applying; empty when "no longer: `note`" says it.
    pub ended: String,
    pub line: usize,
}

/// Splits a comma-separated list field; empty entries are dropped.
fn list(field: &str) -> Vec<String> {
    field
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses one version's table; returns its rows and one `(line, message)` per malformed row.
pub fn parse_table(text: &str) -> (Vec<Row>, Vec<(usize, String)>) {
    let mut rows: Vec<Row> = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if line == 1 {
            if raw != TABLE_HEADER {
                problems.push((line, format!("the header must be `{TABLE_HEADER}`")));
            }
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        match parse_row(raw, line) {
            Ok(row) if rows.iter().any(|earlier| earlier.code == row.code) => {
                problems.push((line, format!("{} is listed twice", row.code)));
            }
            Ok(row) => rows.push(row),
            Err(message) => problems.push((line, message)),
        }
    }
    if text.is_empty() {
        problems.push((1, format!("empty: the header must be `{TABLE_HEADER}`")));
    }
    (rows, problems)
}

fn parse_row(raw: &str, line: usize) -> Result<Row, String> {
    let fields: Vec<&str> = raw.split('\t').collect();
    let [
        code,
        status,
        reason,
        retryable,
        ticket,
        reserved,
        see_also,
        _meaning,
        properties,
        notes,
    ] = fields.as_slice()
    else {
        return Err(format!(
            "expected 10 tab-separated fields, found {}",
            fields.len()
        ));
    };
    if code.is_empty()
        || !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!("code `{code}` is not an upper-case error code"));
    }
    let status = status
        .parse::<u16>()
        .ok()
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| format!("http_status `{status}` is not an HTTP status"))?;
    let retryable = Retryability::parse(retryable)
        .ok_or_else(|| format!("retryable `{retryable}` is not yes, no or conditional"))?;
    let ticket = TicketRule::parse(ticket)
        .ok_or_else(|| format!("ticket `{ticket}` is not required or absent"))?;
    let reserved = match *reserved {
        "yes" => true,
        "no" => false,
        other => return Err(format!("reserved `{other}` is not yes or no")),
    };
    Ok(Row {
        code: (*code).to_string(),
        status,
        reason_phrase: (*reason).to_string(),
        retryable,
        ticket,
        reserved,
        see_also: list(see_also),
        server_properties: list(properties),
        server_notes: list(notes),
        line,
    })
}

/// Parses the tag descriptions; returns them and one `(line, message)` per malformed row.
pub fn parse_notes(text: &str) -> (Vec<TagNote>, Vec<(usize, String)>) {
    let mut notes: Vec<TagNote> = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if line == 1 {
            if raw != NOTES_HEADER {
                problems.push((line, format!("the header must be `{NOTES_HEADER}`")));
            }
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let [tag, code, note, ended] = fields.as_slice() else {
            problems.push((
                line,
                format!("expected 4 tab-separated fields, found {}", fields.len()),
            ));
            continue;
        };
        if note.trim().is_empty() {
            problems.push((line, format!("`{tag}` for {code} has an empty note")));
            continue;
        }
        if notes.iter().any(|n| n.tag == *tag && n.code == *code) {
            problems.push((line, format!("`{tag}` for {code} is described twice")));
            continue;
        }
        notes.push(TagNote {
            tag: (*tag).to_string(),
            code: (*code).to_string(),
            note: note.trim().to_string(),
            ended: ended.trim().to_string(),
            line,
        });
    }
    (notes, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_reports_bad_ones_by_line() {
        let text = format!(
            "{TABLE_HEADER}\n\
             CONFLICT\t409\tConflict\tyes\tabsent\tno\terrors,errors.TX_CONFLICT\tA clash.\tentityId\tabsorbs_TX_CONFLICT\n\
             BROKEN\t40x\tConflict\tyes\tabsent\tno\t\t\t\t\n\
             CONFLICT\t409\tConflict\tyes\tabsent\tno\t\t\t\t\n"
        );
        let (rows, problems) = parse_table(&text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].code, "CONFLICT");
        assert_eq!(rows[0].see_also, ["errors", "errors.TX_CONFLICT"]);
        assert_eq!(rows[0].server_properties, ["entityId"]);
        assert_eq!(rows[0].server_notes, ["absorbs_TX_CONFLICT"]);
        assert_eq!(
            problems,
            [
                (3, "http_status `40x` is not an HTTP status".to_string()),
                (4, "CONFLICT is listed twice".to_string())
            ]
        );
    }

    #[test]
    fn notes_need_a_sentence_and_are_unique() {
        let text = format!(
            "{NOTES_HEADER}\nnever_raised\tTX_CONFLICT\tNever sent.\t\nnever_raised\tTX_CONFLICT\tAgain.\t\nx\tY\t \t\n"
        );
        let (notes, problems) = parse_notes(&text);
        assert_eq!(notes.len(), 1);
        assert_eq!(problems.len(), 2);
    }
}

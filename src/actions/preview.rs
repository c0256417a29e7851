//! The Execute Retry preview, shown before the operator confirms: which approved deliveries the
//! live worker will re-send and which it skips, with the reason. Computed with
//! [`crate::domain::execution::preview`] over records read from the history (failed audit
//! deliveries, approval decisions, audit packages), so both backends give the same preview and
//! nothing is written to compute it. A history answer it cannot read fails the preview (never
//! "nothing will be sent"), and a read the server cut short is named in its last lines.

use chrono::Utc;
use serde_json::Value;

use crate::backend::calls::ExecuteRetryRequest;
use crate::backend::{Backend, BackendError, Json};
use crate::domain::Record;
use crate::domain::execution::{PreviewRow, preview};
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;
use crate::domain::record::{kind, source};
use crate::history_scan;

/// Records the server caps each history read at (CONTRACT §1.2).
const CAP: usize = 500;
/// What the first read holds (named in its errors and incomplete lines).
const FAILED: &str = "failed acknowledgement audit deliveries";

/// What the preview read: the records, and a line for each read that did not hold every match.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub records: Vec<Record>,
    pub incomplete: Vec<String>,
}

/// What Execute Retry will do: each retry decision, and what the reads could not see.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub rows: Vec<PreviewRow>,
    /// One line per read that held fewer records than match: the worker may send more.
    pub incomplete: Vec<String>,
}

/// The records of one history answer about `what`. An answer without an `items` list, or with
/// items that are not records, is an error, never "no records" (the preview would then promise that nothing is sent); a
/// `total` above the records read gives a line saying the read was incomplete.
fn checked(page: &Json, what: &str) -> Result<(Vec<Record>, Option<String>), BackendError> {
    if let Some(why) = history_scan::unreadable_items(page) {
        return Err(BackendError::Decode(format!(
            "the history answer for {what} cannot be read ({why}), so the preview cannot say \
             what will be sent"
        )));
    }
    let read = history_scan::records(page).len();
    let short = match page.get("total").and_then(Value::as_u64) {
        Some(total) if total > read as u64 => Some(format!(
            "preview read the newest {read} of {total} {what}: the worker may send more"
        )),
        None if read >= CAP => Some(format!(
            "preview read the newest {read} {what} and the server did not say how many match: \
             the worker may send more"
        )),
        _ => None,
    };
    Ok((history_scan::records(page), short))
}

async fn read(
    backend: &dyn Backend,
    q: HistoryQuery,
    what: &str,
    out: &mut Read,
) -> Result<(), BackendError> {
    let kind = q.metadata_kind.clone().unwrap_or_default();
    let (records, short) = checked(&backend.history(q, Page::first(CAP)).await?, what)?;
    let other = records.iter().filter(|r| r.kind() != kind).count();
    if other > 0 {
        return Err(BackendError::Decode(format!(
            "{other} of the records the history answered for {what} are not of that kind (the \
             server did not apply the filter), so the preview cannot say what will be sent"
        )));
    }
    out.records.extend(records);
    out.incomplete.extend(short);
    Ok(())
}

/// The records the preview needs, read (never written) from the history.
pub async fn records(backend: &dyn Backend) -> Result<Read, BackendError> {
    let mut out = Read::default();
    let failed = HistoryQuery {
        metadata_kind: Some(kind::CONNECTOR_DELIVERY.into()),
        connector_delivery_source: Some(source::ACK_AUDIT.into()),
        delivery_success: Some(false),
        ..Default::default()
    };
    read(backend, failed, FAILED, &mut out).await?;
    for (k, what) in [
        (kind::RETRY_APPROVAL_DECISION, "retry approval decisions"),
        (kind::AUDIT_PACKAGE, "audit packages"),
    ] {
        let q = HistoryQuery {
            metadata_kind: Some(k.into()),
            ..Default::default()
        };
        read(backend, q, what, &mut out).await?;
    }
    Ok(out)
}

/// What Execute Retry with `req` will do, as of now.
pub async fn execute_retry(
    backend: &dyn Backend,
    req: &ExecuteRetryRequest,
) -> Result<Preview, BackendError> {
    let read = records(backend).await?;
    Ok(Preview {
        rows: preview(
            &read.records,
            &req.run.policy,
            req.run.max_retry_deliveries,
            None,
            Utc::now(),
        ),
        incomplete: read.incomplete,
    })
}

/// The preview as lines for a confirmation dialog or stderr. "Nothing will be sent" only when
/// every read held every match; otherwise the last lines say which reads were incomplete.
pub fn lines(p: &Preview) -> Vec<String> {
    let mut out: Vec<String> = p
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} {} (delivery {}, audit {}): {}",
                if r.send { "re-send" } else { "skip   " },
                r.provider,
                r.delivery_id,
                r.audit_id,
                r.reason
            )
        })
        .collect();
    if p.rows.is_empty() {
        out.push(if p.incomplete.is_empty() {
            "no failed acknowledgement audit delivery to retry: nothing will be sent".into()
        } else {
            "no failed acknowledgement audit delivery to retry among the records read".into()
        });
    }
    out.extend(p.incomplete.iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(v: serde_json::Value) -> Json {
        v.as_object().unwrap().clone()
    }

    fn row(send: bool) -> PreviewRow {
        PreviewRow {
            provider: "splunk".into(),
            delivery_id: "d1".into(),
            audit_id: "a1".into(),
            send,
            reason: "approved retry: will be re-sent".into(),
        }
    }

    #[test]
    fn an_answer_without_a_readable_items_list_is_an_error_not_an_empty_list() {
        for body in [
            json!({"total": 3}),
            json!({"items": {"not": "a list"}, "total": 3}),
            json!({"items": null}),
        ] {
            let err = checked(&page(body.clone()), FAILED).unwrap_err();
            assert!(matches!(err, BackendError::Decode(_)), "{body}: {err:?}");
            let said = err.to_string();
            assert!(
                said.contains("history answer for failed acknowledgement audit deliveries")
                    && said.contains("no readable `items` list")
                    && said.contains("cannot say what will be sent"),
                "{said}"
            );
        }
        let (records, short) = checked(&page(json!({"items": [], "total": 0})), FAILED).unwrap();
        assert!(
            records.is_empty() && short.is_none(),
            "an empty list is fine"
        );
    }

    #[test]
    fn items_that_are_not_records_are_an_error_not_fewer_records() {
        let body = json!({"items": [1, {"session_id": "a"}, "x"], "total": 3});
        let said = checked(&page(body), FAILED).unwrap_err().to_string();
        assert!(
            said.contains("2 of its 3 items are not records")
                && said.contains("cannot say what will be sent"),
            "{said}"
        );
    }

    #[test]
    fn a_read_holding_fewer_records_than_match_is_called_incomplete() {
        let items: Vec<_> = (0..CAP).map(|i| json!({"session_id": i})).collect();
        let (records, short) =
            checked(&page(json!({"items": items, "total": 812})), FAILED).unwrap();
        assert_eq!(records.len(), CAP);
        assert_eq!(
            short.as_deref(),
            Some(
                "preview read the newest 500 of 812 failed acknowledgement audit deliveries: \
                 the worker may send more"
            )
        );
        let (_, short) = checked(&page(json!({"items": items, "total": 500})), FAILED).unwrap();
        assert_eq!(short, None, "every match was read");
        let (_, short) = checked(&page(json!({"items": items})), FAILED).unwrap();
        assert!(
            short.is_some_and(|s| s.contains("did not say how many match")),
            "a full read without a total may be cut short"
        );
        let (_, short) = checked(&page(json!({"items": [{}, {}]})), FAILED).unwrap();
        assert_eq!(short, None, "a short read without a total holds everything");
    }

    #[test]
    fn nothing_will_be_sent_is_said_only_after_complete_reads() {
        let complete = Preview::default();
        assert_eq!(
            lines(&complete),
            ["no failed acknowledgement audit delivery to retry: nothing will be sent"]
        );
        let cut = "preview read the newest 500 of 812 audit packages: the worker may send more";
        let incomplete = Preview {
            rows: Vec::new(),
            incomplete: vec![cut.into()],
        };
        let said = lines(&incomplete);
        assert!(
            !said.iter().any(|l| l.contains("nothing will be sent")),
            "{said:?}"
        );
        assert_eq!(said.last().map(String::as_str), Some(cut));
        let with_rows = Preview {
            rows: vec![row(true), row(false)],
            incomplete: vec![cut.into()],
        };
        let said = lines(&with_rows);
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].starts_with("re-send splunk") && said[1].starts_with("skip"));
        assert_eq!(said[2], cut);
    }
}

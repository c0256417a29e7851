//! The Execute Retry preview, shown before the operator confirms: which approved deliveries the
//! live worker will re-send and which it skips, with the reason. Computed with
//! [`crate::domain::execution::preview`] over records read from the history (failed audit
//! deliveries, approval decisions, audit packages), so both backends give the same preview and
//! nothing is written to compute it.

use chrono::Utc;

use crate::backend::calls::ExecuteRetryRequest;
use crate::backend::{Backend, BackendError};
use crate::domain::Record;
use crate::domain::execution::{PreviewRow, preview};
use crate::domain::history::HistoryQuery;
use crate::domain::record::{kind, source};
use crate::history_scan;

/// Records the server caps each history read at (CONTRACT §1.2).
const CAP: usize = 500;

async fn read(backend: &dyn Backend, q: HistoryQuery) -> Result<Vec<Record>, BackendError> {
    Ok(history_scan::records(&backend.history(q, CAP, 0).await?))
}

/// The records the preview needs, read (never written) from the history.
pub async fn records(backend: &dyn Backend) -> Result<Vec<Record>, BackendError> {
    let mut out = read(
        backend,
        HistoryQuery {
            metadata_kind: Some(kind::CONNECTOR_DELIVERY.into()),
            connector_delivery_source: Some(source::ACK_AUDIT.into()),
            delivery_success: Some(false),
            ..Default::default()
        },
    )
    .await?;
    for k in [kind::RETRY_APPROVAL_DECISION, kind::AUDIT_PACKAGE] {
        out.extend(
            read(
                backend,
                HistoryQuery {
                    metadata_kind: Some(k.into()),
                    ..Default::default()
                },
            )
            .await?,
        );
    }
    Ok(out)
}

/// What Execute Retry with `req` will do, as of now.
pub async fn execute_retry(
    backend: &dyn Backend,
    req: &ExecuteRetryRequest,
) -> Result<Vec<PreviewRow>, BackendError> {
    let records = records(backend).await?;
    Ok(preview(
        &records,
        &req.run.policy,
        req.run.max_retry_deliveries,
        None,
        Utc::now(),
    ))
}

/// The preview as lines for a confirmation dialog or stderr.
pub fn lines(rows: &[PreviewRow]) -> Vec<String> {
    if rows.is_empty() {
        return vec![
            "no failed acknowledgement audit delivery to retry: nothing will be sent".into(),
        ];
    }
    rows.iter()
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
        .collect()
}

-- cavra-tui sample store, schema version 1.
-- One row per CAVRA evidence metadata record, as CAVRA's own SQLite evidence store keeps them
-- (session_id, created_at, signer, counters, payload JSON), plus the columns the console queries.
CREATE TABLE evidence_metadata (
    session_id              TEXT PRIMARY KEY,
    created_at              TEXT NOT NULL,
    signer                  TEXT NOT NULL DEFAULT '',
    decision_count          INTEGER NOT NULL DEFAULT 0,
    blocked_count           INTEGER NOT NULL DEFAULT 0,
    approval_required_count INTEGER NOT NULL DEFAULT 0,
    metadata_kind           TEXT NOT NULL,
    schedule_id             TEXT NOT NULL DEFAULT '',
    provider                TEXT NOT NULL DEFAULT '',
    payload                 TEXT NOT NULL CHECK (json_valid(payload))
);
-- Latest plan per schedule, latest acknowledgement per (schedule_id, provider).
CREATE INDEX evidence_route_latest ON evidence_metadata (metadata_kind, schedule_id, provider, created_at);
-- History by kind, newest first.
CREATE INDEX evidence_kind_created ON evidence_metadata (metadata_kind, created_at);

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

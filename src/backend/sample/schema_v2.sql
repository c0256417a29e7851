-- cavra-tui sample store, schema version 2: compact route tables the routes pane reads with
-- one join instead of parsing every plan and acknowledgement (issue #5). Kept up to date on
-- every write by the store; rebuilt from the records by this migration.
CREATE TABLE route_index (
    schedule_id             TEXT NOT NULL,
    provider                TEXT NOT NULL,
    owner                   TEXT NOT NULL,
    escalation_owner        TEXT NOT NULL,
    plan_id                 TEXT NOT NULL,
    plan_created_at         TEXT NOT NULL,
    action                  TEXT NOT NULL,
    category                TEXT NOT NULL,
    reason                  TEXT NOT NULL,
    acknowledgement_minutes INTEGER NOT NULL,
    PRIMARY KEY (schedule_id, provider, owner)
) WITHOUT ROWID;

CREATE TABLE route_state (
    schedule_id       TEXT NOT NULL,
    provider          TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    acknowledgement_id TEXT NOT NULL,
    state             TEXT NOT NULL,
    acknowledged_by   TEXT NOT NULL,
    acknowledged_at   TEXT NOT NULL,
    external_ref      TEXT NOT NULL,
    notes             TEXT NOT NULL,
    PRIMARY KEY (schedule_id, provider)
) WITHOUT ROWID;

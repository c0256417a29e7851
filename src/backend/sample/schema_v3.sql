-- cavra-tui sample store, schema version 3: a change counter for incremental refresh
-- (issue #14). Every write that changes a schedule's routes (a plan, an acknowledgement)
-- stamps the schedule with the next `seq` in the same transaction; a refresh reads only the
-- schedules stamped after the `seq` it last saw. `store_meta.generation` changes whenever the
-- whole store is replaced (reset, generate), so a watermark from before is never trusted.
CREATE TABLE route_changes (
    schedule_id TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX route_changes_seq ON route_changes (seq);

import GRDB
import SwablineCore

/// The database schema, as an append-only list of migrations: once a
/// migration has shipped it is never edited, only followed by a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sites, residents, queue, tubes, boxes, results") { db in
            try db.execute(sql: """
                CREATE TABLE lab (
                    id TEXT PRIMARY KEY NOT NULL,
                    created_at TEXT NOT NULL
                );
                -- Standard Webhooks secrets. Several may be valid during a rotation.
                CREATE TABLE lab_secret (
                    id INTEGER PRIMARY KEY,
                    lab_id TEXT NOT NULL REFERENCES lab(id),
                    secret TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    expires_at TEXT
                );
                CREATE TABLE site (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    address TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    pool_mode TEXT NOT NULL,
                    lab_id TEXT NOT NULL REFERENCES lab(id),
                    opens TEXT NOT NULL,
                    closes TEXT NOT NULL
                );
                CREATE TABLE station (
                    site_id TEXT NOT NULL REFERENCES site(id),
                    id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    PRIMARY KEY (site_id, id)
                );
                CREATE TABLE building_slot (
                    site_id TEXT NOT NULL REFERENCES site(id),
                    building TEXT NOT NULL,
                    starts TEXT NOT NULL,
                    ends TEXT NOT NULL,
                    PRIMARY KEY (site_id, building)
                );
                CREATE TABLE household (
                    id INTEGER PRIMARY KEY,
                    site_id TEXT NOT NULL REFERENCES site(id),
                    key TEXT NOT NULL,
                    building TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    room TEXT NOT NULL,
                    UNIQUE (site_id, key)
                );
                CREATE TABLE resident (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    site_id TEXT NOT NULL REFERENCES site(id),
                    household_id INTEGER NOT NULL REFERENCES household(id),
                    name TEXT NOT NULL,
                    id_number TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    priority BOOLEAN NOT NULL,
                    single_tube BOOLEAN NOT NULL,
                    walk_in BOOLEAN NOT NULL,
                    registered_at TEXT NOT NULL
                );
                CREATE INDEX resident_household ON resident(household_id);
                CREATE INDEX resident_site ON resident(site_id);
                CREATE TABLE round (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    opened_at TEXT NOT NULL
                );
                CREATE TABLE ticket (
                    id INTEGER PRIMARY KEY,
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    site_id TEXT NOT NULL REFERENCES site(id),
                    resident_id INTEGER NOT NULL REFERENCES resident(id),
                    number INTEGER NOT NULL,
                    lane TEXT NOT NULL,
                    status TEXT NOT NULL,
                    overtaken INTEGER NOT NULL DEFAULT 0,
                    station_id TEXT,
                    checked_in_at TEXT NOT NULL,
                    called_at TEXT,
                    UNIQUE (round_id, resident_id),
                    UNIQUE (round_id, site_id, number)
                );
                CREATE INDEX ticket_queue ON ticket(round_id, site_id, status);
                CREATE TABLE tube (
                    code TEXT PRIMARY KEY NOT NULL,
                    site_id TEXT NOT NULL REFERENCES site(id),
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    station_id TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    state TEXT NOT NULL,
                    box_code TEXT REFERENCES box(code),
                    partial BOOLEAN NOT NULL DEFAULT 0,
                    opened_at TEXT NOT NULL,
                    result TEXT,
                    ct REAL,
                    tested_at TEXT
                );
                CREATE INDEX tube_station ON tube(site_id, station_id, state);
                CREATE INDEX tube_box ON tube(box_code);
                CREATE TABLE sample (
                    id INTEGER PRIMARY KEY,
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    resident_id INTEGER NOT NULL REFERENCES resident(id),
                    tube_code TEXT NOT NULL REFERENCES tube(code),
                    slot INTEGER NOT NULL,
                    retest BOOLEAN NOT NULL,
                    sampled_at TEXT NOT NULL,
                    UNIQUE (tube_code, resident_id),
                    UNIQUE (tube_code, slot)
                );
                -- Rule 3, kept by the database itself: one first sample per person per round.
                CREATE UNIQUE INDEX sample_once_per_round ON sample(round_id, resident_id) WHERE retest = 0;
                CREATE INDEX sample_resident ON sample(resident_id);
                CREATE TABLE box (
                    code TEXT PRIMARY KEY NOT NULL,
                    site_id TEXT NOT NULL REFERENCES site(id),
                    lab_id TEXT NOT NULL REFERENCES lab(id),
                    state TEXT NOT NULL,
                    courier_token INTEGER,
                    temperature_c REAL,
                    created_at TEXT NOT NULL
                );
                -- Rule 6: the append-only chain of custody. tube.state and box.state
                -- are its projection, written in the same transaction as each event.
                CREATE TABLE custody_event (
                    id INTEGER PRIMARY KEY,
                    subject TEXT NOT NULL CHECK (subject IN ('tube', 'box')),
                    code TEXT NOT NULL,
                    event TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    to_actor TEXT,
                    at TEXT NOT NULL,
                    tube_count INTEGER,
                    temperature_c REAL
                );
                CREATE INDEX custody_subject ON custody_event(subject, code);
                CREATE TRIGGER custody_event_no_update BEFORE UPDATE ON custody_event
                    BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
                CREATE TRIGGER custody_event_no_delete BEFORE DELETE ON custody_event
                    BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
                CREATE TABLE outcome (
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    resident_id INTEGER NOT NULL REFERENCES resident(id),
                    status TEXT NOT NULL,
                    decided_by_sample INTEGER REFERENCES sample(id),
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (round_id, resident_id)
                );
                CREATE INDEX outcome_status ON outcome(round_id, status);
                CREATE TABLE anomaly (
                    id INTEGER PRIMARY KEY,
                    tube_code TEXT NOT NULL REFERENCES tube(code),
                    lab_id TEXT NOT NULL,
                    recorded_result TEXT NOT NULL,
                    posted_result TEXT NOT NULL,
                    webhook_id TEXT NOT NULL,
                    at TEXT NOT NULL,
                    resolved_at TEXT
                );
                -- Standard Webhooks: a webhook-id is applied once; a redelivery gets the first answer.
                CREATE TABLE webhook_delivery (
                    lab_id TEXT NOT NULL,
                    webhook_id TEXT NOT NULL,
                    received_at TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    response BLOB NOT NULL,
                    PRIMARY KEY (lab_id, webhook_id)
                );
                CREATE TABLE token (
                    id INTEGER PRIMARY KEY,
                    hash TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    site_id TEXT REFERENCES site(id),
                    label TEXT,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                """)
        }
        migrator.registerMigration("v2: remember which site files were loaded") { db in
            // Size and modification time of each site's files when last imported: a start with
            // unchanged files skips reading the rosters, so a city-sized store restarts in seconds.
            try db.execute(sql: """
                CREATE TABLE site_source (
                    folder TEXT PRIMARY KEY NOT NULL,
                    digest TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3: indexes for the queue position and walk-in lookups") { db in
            try db.execute(sql: """
                CREATE INDEX ticket_position ON ticket(round_id, site_id, status, lane, id);
                CREATE INDEX resident_id_number ON resident(id_number);
                """)
        }
        migrator.registerMigration("v4: answers remembered by Idempotency-Key") { db in
            // A retried POST with the same key gets the first answer; keys are the caller's own
            // (scope = the token's label) and kept at least 24 hours.
            try db.execute(sql: """
                CREATE TABLE idempotency_key (
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    content_type TEXT NOT NULL,
                    body BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (scope, key)
                );
                CREATE INDEX idempotency_key_age ON idempotency_key(created_at);
                """)
        }
        migrator.registerMigration("v5: tokens expire") { db in
            // NULL: a token made before expiry existed, valid until revoked.
            try db.execute(sql: "ALTER TABLE token ADD COLUMN expires_at TEXT")
        }
        migrator.registerMigration("v6: outcome callbacks: subscribers and their outbox") { db in
            // A callback is written to the outbox in the same transaction as the change that
            // causes it, and sent afterwards; ordering_key keeps one resident's (or tube's)
            // messages in order. A secret being rotated out stays valid until previous_expires_at.
            try db.execute(sql: """
                CREATE TABLE subscriber (
                    id INTEGER PRIMARY KEY,
                    url TEXT NOT NULL,
                    events TEXT NOT NULL,
                    label TEXT,
                    secret TEXT NOT NULL,
                    previous_secret TEXT,
                    previous_expires_at TEXT,
                    paused_until TEXT,
                    created_at TEXT NOT NULL,
                    removed_at TEXT
                );
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    subscriber_id INTEGER NOT NULL REFERENCES subscriber(id),
                    message_id TEXT NOT NULL UNIQUE,
                    event TEXT NOT NULL,
                    ordering_key TEXT NOT NULL,
                    body BLOB NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at TEXT NOT NULL,
                    last_error TEXT,
                    created_at TEXT NOT NULL,
                    finished_at TEXT
                );
                CREATE INDEX outbox_pending ON outbox(subscriber_id, id) WHERE state = 'pending';
                CREATE INDEX outbox_dead ON outbox(subscriber_id, id) WHERE state = 'dead';
                CREATE INDEX outbox_finished ON outbox(finished_at) WHERE state = 'delivered';
                """)
        }
        migrator.registerMigration("v7: who resolved an anomaly, and why") { db in
            // Rule 4 keeps a conflicting result as an anomaly; a coordinator resolves it with a
            // note (what was checked, what was done), recorded with their token's label.
            try db.execute(sql: """
                ALTER TABLE anomaly ADD COLUMN resolved_by TEXT;
                ALTER TABLE anomaly ADD COLUMN resolution_note TEXT;
                CREATE INDEX anomaly_open ON anomaly(id) WHERE resolved_at IS NULL;
                """)
        }
        migrator.registerMigration("v8: the audit log") { db in
            // Who did what to which resident, tube or box, beside the custody chain (which already
            // records every tube and box step). Append-only, like custody_event.
            try db.execute(sql: """
                CREATE TABLE audit_event (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    resident_id INTEGER REFERENCES resident(id),
                    tube_code TEXT,
                    box_code TEXT,
                    detail TEXT
                );
                CREATE INDEX audit_resident ON audit_event(resident_id) WHERE resident_id IS NOT NULL;
                CREATE INDEX audit_tube ON audit_event(tube_code) WHERE tube_code IS NOT NULL;
                CREATE INDEX audit_box ON audit_event(box_code) WHERE box_code IS NOT NULL;
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v9: a lab delivery keeps the digest of what it said") { db in
            // A webhook-id reused for a different message must be refused, not answered with the
            // first message's answer (its results would be lost). Deliveries stored before this
            // have no digest and are answered as before.
            try db.execute(sql: "ALTER TABLE webhook_delivery ADD COLUMN body_sha256 TEXT")
        }
        migrator.registerMigration("v10: numbers typed into reasons and notes are masked") { db in
            // The one rewrite of the append-only audit log (see DESIGN.md): reveal reasons were
            // stored as typed, and grouped numbers ("139 1234 5678") slipped past the old mask in
            // every reason and note. Rule 8 outranks keeping those characters: only digits of
            // numbers 11 digits or longer turn into '*'; who, what and when stay as recorded.
            try db.execute(sql: "DROP TRIGGER audit_event_no_update")
            for row in try Row.fetchAll(db, sql: "SELECT id, detail FROM audit_event WHERE detail IS NOT NULL") {
                let detail: String = row["detail"]
                let masked = PersonalData.maskNumbers(in: detail)
                if masked != detail {
                    try db.execute(sql: "UPDATE audit_event SET detail = ? WHERE id = ?", arguments: [masked, row["id"]])
                }
            }
            try db.execute(sql: """
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
            for row in try Row.fetchAll(db, sql: "SELECT id, resolution_note FROM anomaly WHERE resolution_note IS NOT NULL") {
                let note: String = row["resolution_note"]
                let masked = PersonalData.maskNumbers(in: note)
                if masked != note {
                    try db.execute(sql: "UPDATE anomaly SET resolution_note = ? WHERE id = ?", arguments: [masked, row["id"]])
                }
            }
        }
        return migrator
    }
}

import GRDB
import SwablineCore

extension Schema {
    /// v2 onwards, in the order they shipped; a new migration is appended
    /// at the end, and a shipped one is never edited.
    static func registerLaterMigrations(_ migrator: inout DatabaseMigrator) {
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
        migrator.registerMigration("v11: a tube keeps its capacity") { db in
            // How many people a tube holds is `TubeMode.capacity`, the core's alone. Queries that
            // compare a tube's samples with its room spelled it again as `CASE t.mode WHEN 'pooled5'
            // THEN 5 …`, a second copy a new mode would silently miss. The room is now written when
            // the tube is opened (from the mode), and tubes opened before are filled in here.
            try db.execute(sql: "ALTER TABLE tube ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0")
            for mode in TubeMode.allCases {
                try db.execute(sql: "UPDATE tube SET capacity = ? WHERE mode = ?", arguments: [mode.capacity, mode])
            }
        }
        migrator.registerMigration("v12: each site is in its own round") { db in
            // A round was global: every site entered Round N+1 at once, refused while any tube
            // anywhere was open. A round is now entered by the sites it was opened for; a site's
            // current round is the last it entered. Rounds opened before were every site's.
            try db.execute(sql: """
                CREATE TABLE site_round (
                    site_id TEXT NOT NULL REFERENCES site(id),
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    PRIMARY KEY (site_id, round_id)
                ) WITHOUT ROWID;
                INSERT INTO site_round (site_id, round_id) SELECT s.id, r.id FROM site s CROSS JOIN round r;
                """)
        }
        migrator.registerMigration("v13: a standing carried across rounds") { db in
            // Rule 9: who is not cleared by an earlier round is never pooled. The standing is a
            // projection of results (written with them, in their transaction), so it is
            // computed here from the results already recorded, by the core's own fold.
            try db.execute(sql: """
                CREATE TABLE standing (
                    resident_id INTEGER PRIMARY KEY REFERENCES resident(id),
                    status TEXT NOT NULL,
                    decided_by_sample INTEGER,
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX standing_not_cleared ON standing(status);
                """)
            try StandingBackfill.run(SQLSession(.sqlite(db)))
        }
        migrator.registerMigration("v14: why a missing resident was not sampled") { db in
            // 应检尽检: every resident not sampled in a round is closed with a reason, or is an
            // open task. One row per resident and round, the latest reason given; every change is
            // in the audit log. "Tested elsewhere" found by ID number is read, never written.
            try db.execute(sql: """
                CREATE TABLE follow_up (
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    resident_id INTEGER NOT NULL REFERENCES resident(id),
                    reason TEXT NOT NULL,
                    note TEXT,
                    actor TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (round_id, resident_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v15: home isolation, homebound residents, triage at the gate") { db in
            // A positive or pool-positive result isolates the household (居家隔离) for the days the
            // site's zone sets; a positive during an isolation extends it (the latest row per
            // household), one after it starts a new one. Days are the site's local dates.
            try db.execute(sql: """
                ALTER TABLE site ADD COLUMN isolation_days INTEGER NOT NULL DEFAULT 7;
                ALTER TABLE site ADD COLUMN triage_temperature BOOLEAN NOT NULL DEFAULT 0;
                ALTER TABLE resident ADD COLUMN homebound BOOLEAN NOT NULL DEFAULT 0;
                ALTER TABLE ticket ADD COLUMN temperature_c REAL;
                ALTER TABLE ticket ADD COLUMN symptoms TEXT;
                ALTER TABLE ticket ADD COLUMN referred BOOLEAN NOT NULL DEFAULT 0;
                CREATE TABLE isolation (
                    id INTEGER PRIMARY KEY,
                    household_id INTEGER NOT NULL REFERENCES household(id),
                    since TEXT NOT NULL,
                    until TEXT NOT NULL,
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    started_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX isolation_household ON isolation(household_id, id);
                CREATE INDEX isolation_until ON isolation(until);
                """)
        }
        migrator.registerMigration("v16: labs reject tubes, receive boxes tube by tube, subscribe to their manifests") { db in
            // A result read from a coded message (HL7 OBX-5, FHIR valueCodeableConcept) keeps the
            // lab's code, so an unknown code read as invalid can be looked up. A rejected tube keeps the lab's reason; its members are sampled again. A subscriber may
            // be one lab's: it then hears only about boxes shipped to that lab (`box.handed_over`). A
            // lab token lets a lab without an LIS read manifests and use the lab page.
            try db.execute(sql: """
                ALTER TABLE tube ADD COLUMN rejected_reason TEXT;
                ALTER TABLE tube ADD COLUMN result_code TEXT;
                ALTER TABLE subscriber ADD COLUMN lab_id TEXT REFERENCES lab(id);
                ALTER TABLE subscriber ADD COLUMN format TEXT NOT NULL DEFAULT 'json';
                ALTER TABLE token ADD COLUMN lab_id TEXT REFERENCES lab(id);
                """)
        }
        migrator.registerMigration("v17: stations keep the order the site lists them in") { db in
            // The board and the site summary list stations in the order of site.toml. That order
            // was SQLite's rowid, which PostgreSQL has no counterpart of; now it is a column, the
            // same on both engines. Existing rows keep the order they had.
            try db.execute(sql: """
                ALTER TABLE station ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
                UPDATE station SET position = rowid;
                """)
        }
    }
}

import GRDB
import SwablineCore

extension Schema {
    /// v1, the schema the service shipped with. Shipped: never edited.
    static func registerFirstSchema(_ migrator: inout DatabaseMigrator) {
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
    }
}

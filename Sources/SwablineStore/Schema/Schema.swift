import GRDB
import SwablineCore

/// The database schema, as an append-only list of migrations: once a
/// migration has shipped it is never edited, only followed by a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        registerFirstSchema(&migrator)
        registerLaterMigrations(&migrator)
        return migrator
    }
}

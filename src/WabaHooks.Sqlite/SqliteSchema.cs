using Microsoft.Data.Sqlite;

namespace WabaHooks.Sqlite;

/// <summary>Schema migrations, applied in order and recorded in <c>PRAGMA user_version</c>.</summary>
internal static class SqliteSchema
{
    // Append only: a released migration is never edited, so every database reaches the same shape.
    private static readonly string[] Migrations =
    [
        """
        -- AUTOINCREMENT: ids are never reused, even after retention deletes the newest rows, so an id always names one delivery.
        CREATE TABLE deliveries (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at INTEGER NOT NULL, -- unix milliseconds
            app_id      TEXT    NOT NULL,
            length      INTEGER NOT NULL,
            flags       INTEGER NOT NULL,
            body        BLOB    NOT NULL
        );
        """,
        """
        -- What the processor made of each delivery: counted and visible.
        ALTER TABLE deliveries ADD COLUMN processed_at    INTEGER;
        ALTER TABLE deliveries ADD COLUMN event_count     INTEGER;
        ALTER TABLE deliveries ADD COLUMN duplicate_count INTEGER;
        ALTER TABLE deliveries ADD COLUMN parse_error     TEXT;
        CREATE INDEX deliveries_unprocessed ON deliveries (id) WHERE processed_at IS NULL;

        CREATE TABLE events (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            id              TEXT    NOT NULL UNIQUE, -- the idempotency key: Meta's redeliveries stop here
            type            TEXT    NOT NULL,
            field           TEXT    NOT NULL,
            waba_id         TEXT    NOT NULL,
            phone_number_id TEXT,
            occurred_at     INTEGER,                 -- unix milliseconds
            delivery_id     INTEGER NOT NULL,
            position        INTEGER NOT NULL,
            stored_at       INTEGER NOT NULL,        -- unix milliseconds
            raw_json        BLOB    NOT NULL
        );
        CREATE INDEX events_by_type   ON events (type, seq);
        CREATE INDEX events_by_field  ON events (field, seq);
        CREATE INDEX events_by_waba   ON events (waba_id, seq);
        CREATE INDEX events_by_phone  ON events (phone_number_id, seq);
        CREATE INDEX events_by_stored ON events (stored_at);

        CREATE TABLE message_status (
            wamid        TEXT PRIMARY KEY,
            status       TEXT NOT NULL,
            recipient_id TEXT,
            updated_at   INTEGER,
            event_id     TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE message_status_timeline (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id     TEXT    NOT NULL UNIQUE,
            wamid        TEXT    NOT NULL,
            status       TEXT    NOT NULL,
            timestamp    INTEGER,
            recipient_id TEXT,
            delivery_id  INTEGER NOT NULL,
            applied      INTEGER NOT NULL
        );
        CREATE INDEX message_status_timeline_by_wamid ON message_status_timeline (wamid, seq);

        CREATE TABLE sink_work (
            event_id        TEXT    NOT NULL,
            sink            TEXT    NOT NULL,
            event_seq       INTEGER NOT NULL,
            delivery_id     INTEGER NOT NULL,
            state           INTEGER NOT NULL, -- 0 pending, 1 done, 2 dead
            attempts        INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            lease_until     INTEGER NOT NULL,
            last_error      TEXT,
            updated_at      INTEGER NOT NULL,
            PRIMARY KEY (event_id, sink)
        ) WITHOUT ROWID;
        CREATE INDEX sink_work_due ON sink_work (sink, state, next_attempt_at, event_seq);

        CREATE TABLE sink_attempts (
            seq           INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id      TEXT    NOT NULL,
            sink          TEXT    NOT NULL,
            number        INTEGER NOT NULL,
            started_at    INTEGER NOT NULL,
            duration_ms   REAL    NOT NULL,
            succeeded     INTEGER NOT NULL,
            status_code   INTEGER,
            error         TEXT,
            response_head TEXT
        );
        CREATE INDEX sink_attempts_by_event ON sink_attempts (event_id, sink, seq);
        """,
        """
        -- When each pair was scheduled, so a retry window and the backlog's age count from it. SQLite adds a NOT NULL
        -- column only with a default; every insert sets it, and existing pairs take their last change as the best
        -- time known.
        ALTER TABLE sink_work ADD COLUMN scheduled_at INTEGER NOT NULL DEFAULT 0; -- unix milliseconds
        UPDATE sink_work SET scheduled_at = updated_at;

        -- A sink's latest attempt, success and failure are each one seek from the end of its range, not a scan of
        -- its history.
        CREATE INDEX sink_attempts_by_outcome ON sink_attempts (sink, succeeded, started_at);
        """,
        """
        -- Deliveries marked with a reason instead of events are few: listing and reprocessing them seeks here.
        CREATE INDEX deliveries_failed ON deliveries (id) WHERE parse_error IS NOT NULL;
        """,
        """
        -- Events from deliveries with WabaHooks' test mark (wabahooks trigger, verify-endpoint): kept, listed, and
        -- routed only to sinks that opt in. Existing events came from Meta.
        ALTER TABLE events ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
        """,
        """
        -- The W3C traceparent of the span that received each delivery, so processing and sink spans link back to it
        -- after a restart. Null when nothing listened, and for deliveries stored before.
        ALTER TABLE deliveries ADD COLUMN trace_parent TEXT;
        """,
        """
        -- Retention. Each prune step seeks its oldest rows instead of scanning a table: processed deliveries by when
        -- they were processed (a partial index, so an append on the path before the 200 does not touch it), dead
        -- letters by their last change, attempts by their start. Open (pending or dead) work by delivery answers "may
        -- this delivery go?" with one seek. dedupe_keys keeps the idempotency key of an event removed inside Meta's
        -- redelivery horizon, so a late redelivery is still recognised. The file gives freed pages back
        -- (auto_vacuum = INCREMENTAL): SqliteSchema turns it on, which for a file made before needs one VACUUM.
        CREATE INDEX deliveries_by_processed ON deliveries (processed_at) WHERE processed_at IS NOT NULL;
        CREATE INDEX sink_work_open_by_delivery ON sink_work (delivery_id) WHERE state <> 1;
        CREATE INDEX sink_work_dead ON sink_work (updated_at) WHERE state = 2;
        CREATE INDEX sink_attempts_by_started ON sink_attempts (started_at);
        CREATE TABLE dedupe_keys (
            id        TEXT    PRIMARY KEY,
            stored_at INTEGER NOT NULL -- when its event was stored, unix milliseconds
        ) WITHOUT ROWID;
        CREATE INDEX dedupe_keys_by_stored ON dedupe_keys (stored_at);
        """,
        """
        -- Sinks that take events in order per conversation. Each event keeps its conversation key, so a replay to such a
        -- sink needs no parse; the work of an ordered sink carries the key and the ordering time (Meta's timestamp, or
        -- when it was stored), and is found per conversation through its own index. Other sinks' work leaves both null
        -- and stays out of that index. A conversation being worked holds a row in sink_conversations until its item's
        -- outcome is recorded or the lease runs out.
        ALTER TABLE events ADD COLUMN conversation_key TEXT;
        ALTER TABLE sink_work ADD COLUMN conversation_key TEXT;
        ALTER TABLE sink_work ADD COLUMN order_at INTEGER; -- unix milliseconds
        CREATE INDEX sink_work_by_conversation ON sink_work (sink, conversation_key, state, order_at, event_seq) WHERE conversation_key IS NOT NULL;
        CREATE TABLE sink_conversations (
            sink             TEXT    NOT NULL,
            conversation_key TEXT    NOT NULL,
            event_id         TEXT    NOT NULL, -- the item being worked
            lease_until      INTEGER NOT NULL,
            PRIMARY KEY (sink, conversation_key)
        ) WITHOUT ROWID;
        """,
        """
        -- Every operator action (retry, replay, bulk jobs, pause, resume): who, when, what, how many.
        CREATE TABLE audit_log (
            id     INTEGER PRIMARY KEY AUTOINCREMENT,
            at     INTEGER NOT NULL, -- unix milliseconds
            actor  TEXT    NOT NULL,
            action TEXT    NOT NULL,
            target TEXT,
            count  INTEGER NOT NULL,
            detail TEXT
        );

        -- Sinks an operator paused: a claim of their work finds nothing until they are resumed.
        CREATE TABLE sink_pauses (
            sink      TEXT PRIMARY KEY,
            paused_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- A destination's attempts, newest first, for its page and its latency over the last hours.
        CREATE INDEX sink_attempts_by_sink ON sink_attempts (sink, seq);
        """,
        """
        -- Where each event lies in its delivery's body and what it needs to be rebuilt from there (a few integers, see
        -- EventLocator), so dispatch rebuilds exactly the stored event without splitting the delivery again. Null for
        -- events stored before: dispatch splits their delivery, as it did.
        ALTER TABLE events ADD COLUMN locator BLOB;
        """,
        """
        -- An ordered sink's open work in the order it is handed over (Meta's timestamp, then storage), so a claim meets
        -- each conversation's first item first and stops after the ones it takes. Only pending work with an ordering
        -- time: unordered sinks' work has none and stays out of it, and an item leaves it when it is done or dead.
        CREATE INDEX sink_work_ordered_pending ON sink_work (sink, order_at, event_seq) WHERE state = 0 AND order_at IS NOT NULL;
        """,
        """
        -- What the processor made of each delivery moves out of the delivery's row. Setting four small fields on that row
        -- rewrote the whole row, body and all, and its page went to the log again: 3.2 µs per delivery on the
        -- processor's thread, before the commit's share; 1.7 µs for the narrow rows below. Now the inbox adds the id to
        -- delivery_pending in the same transaction as the delivery (in place of the partial index it replaces), and
        -- processing removes it and adds a narrow delivery_outcomes row: both are appended in id order, many to a page.
        -- The four columns of deliveries stay for rows stored before and are no longer read or written (dropping a
        -- column in SQLite rewrites the table).
        CREATE TABLE delivery_pending (
            id INTEGER PRIMARY KEY -- a delivery not yet processed
        );
        CREATE TABLE delivery_outcomes (
            delivery_id     INTEGER PRIMARY KEY,
            processed_at    INTEGER NOT NULL, -- unix milliseconds
            event_count     INTEGER NOT NULL,
            duplicate_count INTEGER NOT NULL,
            parse_error     TEXT
        );
        INSERT INTO delivery_pending (id) SELECT id FROM deliveries WHERE processed_at IS NULL;
        INSERT INTO delivery_outcomes (delivery_id, processed_at, event_count, duplicate_count, parse_error)
            SELECT id, processed_at, coalesce(event_count, 0), coalesce(duplicate_count, 0), parse_error FROM deliveries WHERE processed_at IS NOT NULL;
        DROP INDEX deliveries_unprocessed;
        DROP INDEX deliveries_failed;
        DROP INDEX deliveries_by_processed;
        CREATE INDEX delivery_outcomes_by_processed ON delivery_outcomes (processed_at);
        CREATE INDEX delivery_outcomes_failed ON delivery_outcomes (delivery_id) WHERE parse_error IS NOT NULL;
        """,
        """
        -- sink_work keyed by (event_seq, sink) instead of (event_id, sink). Event ids are Meta's (random to a B-tree), so
        -- each item scheduled by the processor landed on its own page of the key and that page went to the log at the
        -- commit; sequences grow, so a batch's items now share the last few pages. Claims and outcomes find an item by
        -- its sequence, which they carry, and the claim joins its event by rowid. A look-up by event id goes through
        -- events (its unique index) to the sequence. The table is rebuilt: SQLite cannot change a primary key in place.
        CREATE TABLE sink_work_by_seq (
            event_seq        INTEGER NOT NULL,
            sink             TEXT    NOT NULL,
            event_id         TEXT    NOT NULL,
            delivery_id      INTEGER NOT NULL,
            state            INTEGER NOT NULL, -- 0 pending, 1 done, 2 dead
            attempts         INTEGER NOT NULL,
            next_attempt_at  INTEGER NOT NULL,
            lease_until      INTEGER NOT NULL,
            last_error       TEXT,
            updated_at       INTEGER NOT NULL,
            scheduled_at     INTEGER NOT NULL, -- unix milliseconds
            conversation_key TEXT,
            order_at         INTEGER,          -- unix milliseconds
            PRIMARY KEY (event_seq, sink)
        ) WITHOUT ROWID;
        INSERT INTO sink_work_by_seq (event_seq, sink, event_id, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at, scheduled_at, conversation_key, order_at)
            SELECT event_seq, sink, event_id, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at, scheduled_at, conversation_key, order_at FROM sink_work;
        DROP TABLE sink_work;
        ALTER TABLE sink_work_by_seq RENAME TO sink_work;
        CREATE INDEX sink_work_due ON sink_work (sink, state, next_attempt_at, event_seq);
        CREATE INDEX sink_work_open_by_delivery ON sink_work (delivery_id) WHERE state <> 1;
        CREATE INDEX sink_work_dead ON sink_work (updated_at) WHERE state = 2;
        CREATE INDEX sink_work_by_conversation ON sink_work (sink, conversation_key, state, order_at, event_seq) WHERE conversation_key IS NOT NULL;
        CREATE INDEX sink_work_ordered_pending ON sink_work (sink, order_at, event_seq) WHERE state = 0 AND order_at IS NOT NULL;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection) => Migrate(connection, CurrentVersion);

    /// <summary>Migrates up to <paramref name="targetVersion"/> only: tests build a database as an older release left it.</summary>
    public static void Migrate(SqliteConnection connection, int targetVersion)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, CurrentVersion);
        var version = Convert.ToInt32(Execute(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database {connection.DataSource} has schema version {version}, newer than this wabahooks ({CurrentVersion}). Upgrade wabahooks.");
        }

        if (version == 0)
        {
            // Only an empty file can take auto_vacuum without a VACUUM: before the first table exists.
            Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL;");
        }

        for (var next = version; next < targetVersion; next++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        if (targetVersion == CurrentVersion)
        {
            EnableIncrementalVacuum(connection);
        }
    }

    /// <summary>
    /// Turns on <c>auto_vacuum = INCREMENTAL</c>, so pages freed by retention can be given back to the filesystem
    /// (<c>PRAGMA incremental_vacuum</c>). A file made before the retention migration has it off, and changing it
    /// needs one VACUUM, which rewrites the file: it runs once, at the first start of this version, outside any
    /// transaction (VACUUM cannot run inside one). A new file has it from its creation and skips this.
    /// </summary>
    private static void EnableIncrementalVacuum(SqliteConnection connection)
    {
        if (Convert.ToInt64(Execute(connection, "PRAGMA auto_vacuum;"), System.Globalization.CultureInfo.InvariantCulture) == IncrementalVacuum)
        {
            return;
        }

        Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL;");
        Execute(connection, "VACUUM;");
    }

    /// <summary>The value of <c>PRAGMA auto_vacuum</c> for INCREMENTAL.</summary>
    internal const long IncrementalVacuum = 2;

    private static object? Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

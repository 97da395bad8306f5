using Npgsql;

namespace WabaHooks.Postgres;

/// <summary>Schema migrations, applied in order under an advisory lock so instances starting together agree.</summary>
internal static class PostgresSchema
{
    // Any constant works: it only has to be the same in every instance.
    private const long MigrationLock = 0x5741_4241_484F_4F4B; // "WABAHOOK"

    // Append only: a released migration is never edited. Times are unix milliseconds, as in the SQLite store.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE deliveries (
            id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            received_at     BIGINT  NOT NULL,
            app_id          TEXT    NOT NULL,
            length          INTEGER NOT NULL,
            flags           INTEGER NOT NULL,
            body            BYTEA   NOT NULL,
            processed_at    BIGINT,
            event_count     INTEGER,
            duplicate_count INTEGER,
            parse_error     TEXT
        );
        CREATE INDEX deliveries_unprocessed ON deliveries (id) WHERE processed_at IS NULL;

        CREATE TABLE events (
            seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id              TEXT    NOT NULL UNIQUE,
            type            TEXT    NOT NULL,
            field           TEXT    NOT NULL,
            waba_id         TEXT    NOT NULL,
            phone_number_id TEXT,
            occurred_at     BIGINT,
            delivery_id     BIGINT  NOT NULL,
            position        INTEGER NOT NULL,
            stored_at       BIGINT  NOT NULL,
            raw_json        BYTEA   NOT NULL
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
            updated_at   BIGINT,
            event_id     TEXT NOT NULL
        );

        CREATE TABLE message_status_timeline (
            seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id     TEXT    NOT NULL UNIQUE,
            wamid        TEXT    NOT NULL,
            status       TEXT    NOT NULL,
            timestamp    BIGINT,
            recipient_id TEXT,
            delivery_id  BIGINT  NOT NULL,
            applied      BOOLEAN NOT NULL
        );
        CREATE INDEX message_status_timeline_by_wamid ON message_status_timeline (wamid, seq);

        CREATE TABLE sink_work (
            event_id        TEXT    NOT NULL,
            sink            TEXT    NOT NULL,
            event_seq       BIGINT  NOT NULL,
            delivery_id     BIGINT  NOT NULL,
            state           INTEGER NOT NULL,
            attempts        INTEGER NOT NULL,
            next_attempt_at BIGINT  NOT NULL,
            lease_until     BIGINT  NOT NULL,
            last_error      TEXT,
            updated_at      BIGINT  NOT NULL,
            PRIMARY KEY (event_id, sink)
        );
        CREATE INDEX sink_work_due ON sink_work (sink, state, next_attempt_at, event_seq);

        CREATE TABLE sink_attempts (
            seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id      TEXT             NOT NULL,
            sink          TEXT             NOT NULL,
            number        INTEGER          NOT NULL,
            started_at    BIGINT           NOT NULL,
            duration_ms   DOUBLE PRECISION NOT NULL,
            succeeded     BOOLEAN          NOT NULL,
            status_code   INTEGER,
            error         TEXT,
            response_head TEXT
        );
        CREATE INDEX sink_attempts_by_event ON sink_attempts (event_id, sink, seq);
        """,
        """
        -- When each pair was scheduled, so a retry window and the backlog's age count from it. Existing pairs take
        -- their last change as the best time known; the column is NOT NULL only once they have one.
        ALTER TABLE sink_work ADD COLUMN scheduled_at BIGINT;
        UPDATE sink_work SET scheduled_at = updated_at;
        ALTER TABLE sink_work ALTER COLUMN scheduled_at SET NOT NULL;

        -- A sink's latest success and latest failure are each one seek from the end of its range, not a scan of its
        -- history.
        CREATE INDEX sink_attempts_by_outcome ON sink_attempts (sink, succeeded, started_at);
        """,
        """
        -- Deliveries marked with a reason instead of events are few: listing and reprocessing them seeks here.
        CREATE INDEX deliveries_failed ON deliveries (id) WHERE parse_error IS NOT NULL;
        """,
        """
        -- Events from deliveries with WabaHooks' test mark (wabahooks trigger, verify-endpoint): kept, listed, and
        -- routed only to sinks that opt in. Existing events came from Meta.
        ALTER TABLE events ADD COLUMN test boolean NOT NULL DEFAULT false;
        """,
        """
        -- The W3C traceparent of the span that received each delivery, so processing and sink spans link back to it
        -- after a restart. Null when nothing listened, and for deliveries stored before.
        ALTER TABLE deliveries ADD COLUMN trace_parent TEXT;
        """,
        """
        -- Retention. Each prune step seeks its oldest rows instead of scanning a table: processed deliveries by when
        -- they were processed (partial, so an append before the 200 does not touch it), dead letters by their last
        -- change, attempts by their start. Open (pending or dead) work by delivery answers "may this delivery go?" with
        -- one seek. dedupe_keys keeps the idempotency key of an event removed inside Meta's redelivery horizon, so a
        -- late redelivery is still recognised.
        CREATE INDEX deliveries_by_processed ON deliveries (processed_at) WHERE processed_at IS NOT NULL;
        CREATE INDEX sink_work_open_by_delivery ON sink_work (delivery_id) WHERE state <> 1;
        CREATE INDEX sink_work_dead ON sink_work (updated_at) WHERE state = 2;
        CREATE INDEX sink_attempts_by_started ON sink_attempts (started_at);
        CREATE TABLE dedupe_keys (
            id        TEXT   PRIMARY KEY,
            stored_at BIGINT NOT NULL
        );
        CREATE INDEX dedupe_keys_by_stored ON dedupe_keys (stored_at);
        """,
        """
        -- Sinks that take events in order per conversation. Each event keeps its conversation key, so a replay to such a
        -- sink needs no parse; the work of an ordered sink carries the key and the ordering time (Meta's timestamp, or
        -- when it was stored), and is found per conversation through its own index. Other sinks' work leaves both null
        -- and stays out of that index. A conversation being worked holds a row in sink_conversations until its item's
        -- outcome is recorded or the lease runs out: instances take a conversation by upserting that row, which
        -- PostgreSQL serialises, so two instances never work one conversation at once.
        ALTER TABLE events ADD COLUMN conversation_key TEXT;
        ALTER TABLE sink_work ADD COLUMN conversation_key TEXT;
        ALTER TABLE sink_work ADD COLUMN order_at BIGINT; -- unix milliseconds
        CREATE INDEX sink_work_by_conversation ON sink_work (sink, conversation_key, state, order_at, event_seq) WHERE conversation_key IS NOT NULL;
        CREATE TABLE sink_conversations (
            sink             TEXT   NOT NULL,
            conversation_key TEXT   NOT NULL,
            event_id         TEXT   NOT NULL, -- the item being worked
            lease_until      BIGINT NOT NULL,
            PRIMARY KEY (sink, conversation_key)
        );
        """,
        """
        -- Every operator action (retry, replay, bulk jobs, pause, resume): who, when, what, how many.
        CREATE TABLE audit_log (
            id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at     BIGINT NOT NULL, -- unix milliseconds
            actor  TEXT   NOT NULL,
            action TEXT   NOT NULL,
            target TEXT,
            count  BIGINT NOT NULL,
            detail TEXT
        );

        -- Sinks an operator paused: no instance claims their work until they are resumed.
        CREATE TABLE sink_pauses (
            sink      TEXT PRIMARY KEY,
            paused_at BIGINT NOT NULL
        );

        -- A destination's attempts, newest first, for its page and its latency over the last hours.
        CREATE INDEX sink_attempts_by_sink ON sink_attempts (sink, seq);
        """,
        """
        -- Where each event lies in its delivery's body and what it needs to be rebuilt from there (a few integers, see
        -- EventLocator), so dispatch rebuilds exactly the stored event without splitting the delivery again. Null for
        -- events stored before: dispatch splits their delivery, as it did.
        ALTER TABLE events ADD COLUMN locator BYTEA;
        """,
        """
        -- What the processor made of each delivery moves out of the delivery's row. Setting four small fields on that row
        -- wrote a new version of the whole row, body and all, with new entries in its indexes and the row again in the
        -- write-ahead log: 10.2 µs of the server's time per delivery (pg_stat_statements, under load), against 7.3 µs
        -- for the narrow rows below.
        -- A delivery waits in delivery_pending until the processor removes it there and adds its delivery_outcomes row,
        -- in one transaction. The pending row is added by a trigger, once per INSERT statement over all its rows, so
        -- every writer of deliveries queues what it adds, an instance of an older release during an upgrade too. The
        -- four columns of deliveries stay, no longer read or written: dropping them would lock the table against the
        -- instances still running.
        CREATE TABLE delivery_pending (
            id BIGINT PRIMARY KEY -- a delivery not yet processed
        );
        CREATE TABLE delivery_outcomes (
            delivery_id     BIGINT  PRIMARY KEY,
            processed_at    BIGINT  NOT NULL, -- unix milliseconds
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
        CREATE FUNCTION wabahooks_queue_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO delivery_pending (id) SELECT id FROM added ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$;
        CREATE TRIGGER deliveries_queue AFTER INSERT ON deliveries REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION wabahooks_queue_deliveries();
        """,
    ];

    /// <summary>The schema version this build writes (the highest row of <c>wabahooks_schema</c>).</summary>
    public static int CurrentVersion => Migrations.Length;

    public static Task MigrateAsync(NpgsqlDataSource dataSource, PostgresLockTimeout lockTimeout, CancellationToken cancellationToken) =>
        MigrateAsync(dataSource, lockTimeout, Migrations.Length, cancellationToken);

    /// <summary>Migrates up to <paramref name="targetVersion"/> only: tests build a database as an older release left it.</summary>
    /// <remarks>
    /// Waits for another instance's migration, and for the tables' locks, no longer than <paramref name="lockTimeout"/>:
    /// a migration queued behind a stuck lock would stall every statement that queues behind it in turn.
    /// </remarks>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, PostgresLockTimeout lockTimeout, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, Migrations.Length);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, transaction, $"{lockTimeout.SetLocal} SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken).ConfigureAwait(false);
        await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS wabahooks_schema (version INTEGER NOT NULL);", cancellationToken).ConfigureAwait(false);
        await using (var read = new NpgsqlCommand("SELECT max(version) FROM wabahooks_schema;", connection, transaction))
        {
            var version = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
            if (version > Migrations.Length)
            {
                throw new InvalidOperationException($"The database has WabaHooks schema version {version}, newer than this wabahooks ({Migrations.Length}). Upgrade wabahooks.");
            }

            for (var next = version; next < targetVersion; next++)
            {
                await Execute(connection, transaction, Migrations[next], cancellationToken).ConfigureAwait(false);
                await Execute(connection, transaction, $"INSERT INTO wabahooks_schema (version) VALUES ({next + 1});", cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

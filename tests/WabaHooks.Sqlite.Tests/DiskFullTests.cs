using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Sqlite.Tests;

/// <summary>
/// A full disk is an outage the store must come back from by itself: appends are refused (503) before the disk is
/// completely full, checkpoints and the processor keep running, and once space is freed ingest resumes and everything
/// acknowledged is processed — also across a restart during the outage. The first tests need no mount; the tmpfs ones
/// use a real filesystem that fills up; where mount is not allowed they skip with the reason, or fail under CI.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly List<SqliteStore> _stores = [];
    private int _sequence;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<SqliteStore> OpenAsync(SqliteStoreOptions options)
    {
        var store = new SqliteStore(options);
        _stores.Add(store);
        await store.InitializeAsync(Ct);
        return store;
    }

    /// <summary>A text message with its own wamid (so it becomes an event of its own) and a text of about <paramref name="textBytes"/>.</summary>
    private InboundDelivery Delivery(int textBytes = 8 * 1024)
    {
        var n = Interlocked.Increment(ref _sequence);
        var text = new StringBuilder(textBytes);
        var random = new Random(n);
        while (text.Length < textBytes)
        {
            text.Append((char)('a' + random.Next(26)));
        }

        var body = Encoding.UTF8.GetBytes(
            $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{"value":{"messaging_product":"whatsapp",
            "metadata":{"display_phone_number":"15550142233","phone_number_id":"118765432100002"},
            "messages":[{"from":"447700900456","id":"wamid.disk{{{n.ToString(CultureInfo.InvariantCulture)}}}","timestamp":"1767261601","type":"text","text":{"body":"{{{text}}}"}}]},
            "field":"messages"}]}]}
            """);
        return new InboundDelivery(body, DateTimeOffset.UnixEpoch.AddSeconds(n), "app", DeliveryClassifier.Classify(body));
    }

    private static DeliveryProcessor Processor(SqliteStore store) =>
        new(store, store, new SinkRouter([]), new ProcessorOptions { BatchSize = 16 });

    /// <summary>Processes until nothing is left, riding out store outages, within the deadline.</summary>
    private static async Task DrainAsync(SqliteStore store)
    {
        var processor = Processor(store);
        var deadline = Stopwatch.StartNew();
        StoreUnavailableException? last = null;
        while (deadline.Elapsed < Deadline)
        {
            try
            {
                if ((await processor.ProcessNextBatchAsync(Ct)).Deliveries == 0)
                {
                    return;
                }
            }
            catch (StoreUnavailableException ex)
            {
                last = ex;
                await Task.Delay(50, Ct);
            }
        }

        throw new TimeoutException($"The processor did not catch up within {Deadline}; last outage: {last?.Message}");
    }

    /// <summary>The processor running beside ingest, as in the gateway, riding out outages until <paramref name="stop"/>.</summary>
    private static Task ProcessInBackground(SqliteStore store, CancellationToken stop) => Task.Run(async () =>
    {
        var processor = Processor(store);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if ((await processor.ProcessNextBatchAsync(Ct)).Deliveries == 0)
                {
                    await Task.Delay(10, Ct);
                }
            }
            catch (StoreUnavailableException)
            {
                await Task.Delay(50, Ct);
            }
        }
    }, Ct);

    /// <summary>Appends one delivery at a time until the store refuses one; returns the acknowledged ids and the refusal.</summary>
    private async Task<(List<long> Acknowledged, StoreUnavailableException Refusal)> AppendUntilRefusedAsync(SqliteStore store, int max = 100_000)
    {
        var acknowledged = new List<long>();
        for (var i = 0; i < max; i++)
        {
            try
            {
                acknowledged.AddRange(await store.AppendAsync([Delivery()], Ct));
            }
            catch (StoreUnavailableException ex)
            {
                return (acknowledged, ex);
            }
        }

        throw new InvalidOperationException($"{max} appends and no refusal: the disk never filled.");
    }

    /// <summary>Appends until one is acknowledged again, within the deadline: the store recovers by itself.</summary>
    private async Task<long> AppendUntilAcceptedAsync(SqliteStore store)
    {
        var deadline = Stopwatch.StartNew();
        StoreUnavailableException? last = null;
        while (deadline.Elapsed < Deadline)
        {
            try
            {
                return (await store.AppendAsync([Delivery()], Ct))[0];
            }
            catch (StoreUnavailableException ex)
            {
                last = ex;
                await Task.Delay(50, Ct);
            }
        }

        throw new TimeoutException($"Appends still refused after {Deadline}: {last?.Message}");
    }

    private static async Task AssertAllProcessedAsync(SqliteStore store, IReadOnlyCollection<long> acknowledged)
    {
        var outcomes = await store.ListDeliveryOutcomesAsync(acknowledged.Count + 100, null, Ct);
        var processed = outcomes.Select(o => o.DeliveryId).ToHashSet();
        var missing = acknowledged.Where(id => !processed.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged deliveries are not processed, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Empty(await store.ReadUnprocessedAsync(1, Ct));
        foreach (var id in acknowledged)
        {
            Assert.NotNull(await store.GetAsync(id, Ct));
        }
    }

    [Fact]
    public async Task Appends_are_refused_below_the_reserve_and_accepted_again_within_a_sample_of_space_returning()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        long free = 1024 * MiB;
        var store = await OpenAsync(new SqliteStoreOptions
        {
            DatabasePath = _dir.Combine("wabahooks.db"),
            FreeSpaceReserveBytes = 64 * MiB,
            FreeSpaceProbe = _ => Volatile.Read(ref free),
            TimeProvider = time,
        });
        await store.AppendAsync([Delivery()], Ct);

        Volatile.Write(ref free, 64 * MiB - 1);
        // The sample is trusted for a second: the change is seen once it is older.
        await store.AppendAsync([Delivery()], Ct);
        time.Advance(FreeSpaceReserve.SampleInterval);
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendAsync([Delivery()], Ct));
        Assert.Contains("reserve", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CheckWritableAsync(Ct));

        // The processor's commits are not refused: it catches up during the outage.
        await DrainAsync(store);
        Assert.Empty(await store.ReadUnprocessedAsync(1, Ct));

        Volatile.Write(ref free, 100 * MiB);
        time.Advance(FreeSpaceReserve.SampleInterval);
        await store.AppendAsync([Delivery()], Ct);
        await store.CheckWritableAsync(Ct);
    }

    [Fact]
    public async Task Free_space_is_measured_once_per_interval_away_from_the_reserve_and_on_every_batch_near_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        long free = 1024 * MiB;
        var probes = 0;
        var store = await OpenAsync(new SqliteStoreOptions
        {
            DatabasePath = _dir.Combine("wabahooks.db"),
            FreeSpaceReserveBytes = 64 * MiB,
            FreeSpaceProbe = _ =>
            {
                Interlocked.Increment(ref probes);
                return Volatile.Read(ref free);
            },
            TimeProvider = time,
        });

        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync([Delivery()], Ct);
        }

        Assert.Equal(1, probes);

        // Within twice the reserve another process's writes matter at once: each batch measures again.
        Volatile.Write(ref free, 100 * MiB);
        time.Advance(FreeSpaceReserve.SampleInterval);
        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync([Delivery()], Ct);
        }

        Assert.Equal(11, probes);
        Volatile.Write(ref free, 64 * MiB);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendAsync([Delivery()], Ct));
    }

    [Fact]
    public async Task Between_two_samples_the_bytes_admitted_count_so_a_burst_is_measured_again_before_it_reaches_the_reserve()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var probes = 0;
        var store = await OpenAsync(new SqliteStoreOptions
        {
            DatabasePath = _dir.Combine("wabahooks.db"),
            FreeSpaceReserveBytes = 1 * MiB,
            // 100 KiB above twice the reserve: about 16 KiB is counted per 8 KiB delivery (log, then database file).
            FreeSpaceProbe = _ =>
            {
                Interlocked.Increment(ref probes);
                return (2 * MiB) + (100 * 1024);
            },
            TimeProvider = time,
        });

        for (var i = 0; i < 12; i++)
        {
            await store.AppendAsync([Delivery(textBytes: 8 * 1024)], Ct);
        }

        // One sample serves the first six or so; then the estimate nears the reserve and the next batch measures
        // again (the probe says 2.1 MiB once more: only a real shortage keeps it measuring every batch).
        Assert.Equal(2, probes);
    }

    [Fact]
    public async Task A_reserve_of_zero_turns_the_check_off_and_a_negative_one_is_refused()
    {
        var store = await OpenAsync(new SqliteStoreOptions
        {
            DatabasePath = _dir.Combine("wabahooks.db"),
            FreeSpaceReserveBytes = 0,
            FreeSpaceProbe = _ => 0,
        });
        await store.AppendAsync([Delivery()], Ct);

        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("x.db"), FreeSpaceReserveBytes = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("x.db"), WalSizeLimitBytes = 1024 }));
    }

    [Fact]
    public async Task Sqlite_full_is_an_outage_and_the_store_recovers_without_losing_an_acknowledged_delivery()
    {
        var store = await OpenAsync(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db"), FreeSpaceReserveBytes = 0 });
        var acknowledged = new List<long>(await store.AppendAsync([Delivery()], Ct));

        // max_page_count makes SQLite answer SQLITE_FULL exactly as a full disk does, without one. It is a setting of
        // the writer connection, which the store replaces after a failed commit: the next commit has room again.
        store.LimitWriterPages(extraPages: 16);
        var (more, refusal) = await AppendUntilRefusedAsync(store);
        acknowledged.AddRange(more);
        var full = Assert.IsType<SqliteException>(refusal.InnerException);
        Assert.Equal(13, full.SqliteErrorCode); // SQLITE_FULL

        acknowledged.Add(await AppendUntilAcceptedAsync(store));
        await DrainAsync(store);
        await AssertAllProcessedAsync(store, acknowledged);
    }

    [Fact]
    public async Task The_log_stays_under_its_limit_while_readers_come_and_go()
    {
        var limit = SqliteStore.MinimumWalSizeLimit;
        var store = await OpenAsync(new SqliteStoreOptions
        {
            DatabasePath = _dir.Combine("wabahooks.db"),
            WalSizeLimitBytes = limit,
            FreeSpaceReserveBytes = 0,
            // A clock that never ticks: the background loop stays still, this test runs every checkpoint itself.
            TimeProvider = new FakeTimeProvider(DateTimeOffset.UnixEpoch),
        });

        // A reader that keeps taking snapshots of the log, as the processor and the dashboard do.
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reader = Task.Run(async () =>
        {
            while (!stopReading.IsCancellationRequested)
            {
                await store.ReadUnprocessedAsync(8, Ct);
                await store.ListAsync(8, null, Ct);
            }
        }, Ct);

        long peak = 0;
        for (var round = 0; round < 40; round++)
        {
            // About 300 KiB per round, more than the limit in four rounds.
            for (var i = 0; i < 6; i++)
            {
                await store.AppendAsync([Delivery(), Delivery(), Delivery(), Delivery(), Delivery(), Delivery()], Ct);
                peak = Math.Max(peak, store.WalFileSize());
            }

            await store.CheckpointAsync(Ct);
        }

        await stopReading.CancelAsync();
        await reader;
        // The limit, plus the one batch that crossed it before the log was restarted (about 50 KiB).
        Assert.InRange(peak, 0, limit + (128 * 1024));
    }

    [Fact]
    public async Task Under_sustained_appends_and_processing_the_background_checkpoint_bounds_the_log()
    {
        var store = await OpenAsync(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db"), FreeSpaceReserveBytes = 0 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var processing = ProcessInBackground(store, stop.Token);

        // Well over twice the default limit of 16 MiB in total; without the restarting checkpoint the log grows to
        // the automatic checkpoint's size and stays there.
        long peak = 0;
        long written = 0;
        while (written < 96 * MiB)
        {
            var batch = Enumerable.Range(0, 16).Select(_ => Delivery()).ToList();
            await store.AppendAsync(batch, Ct);
            written += batch.Sum(d => d.Body.Length);
            peak = Math.Max(peak, store.WalFileSize());
        }

        await stop.CancelAsync();
        await processing;
        // The limit, plus what the processor's commits add between two checks after an inbox commit: far below the
        // 64 MiB the issue measured.
        TestContext.Current.SendDiagnosticMessage($"peak write-ahead log: {peak / (double)MiB:0.0} MiB");
        Assert.InRange(peak, 0, SqliteStoreOptions.DefaultWalSizeLimitBytes * 3 / 2);
    }

    private static SqliteStoreOptions OnTmpfs(TmpfsMount mount, long reserve = 8 * MiB) => new()
    {
        DatabasePath = mount.Combine("data", "wabahooks.db"),
        FreeSpaceReserveBytes = reserve,
        WalSizeLimitBytes = 2 * MiB,
    };

    [Fact]
    public async Task On_a_filesystem_that_fills_up_ingest_stops_before_the_disk_is_full_and_resumes_when_a_few_mib_are_freed()
    {
        using var mount = TmpfsMount.MountOrSkip(48);
        try
        {
            // The reserve must hold the events of whatever backlog the processor has when ingest stops (they copy
            // the items' bytes): with 24 MiB free and 16 held back, at most ~4 MiB of bodies are admitted (each
            // counted twice), so even a processor that fell far behind on a busy machine fits in what is left.
            var store = await OpenAsync(OnTmpfs(mount, reserve: 16 * MiB));
            mount.Fill("filler", leaveFreeBytes: 24 * MiB);

            // The processor runs beside ingest, as in the gateway, so its events take space as the disk fills.
            List<long> acknowledged;
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                var processing = ProcessInBackground(store, stop.Token);
                (acknowledged, var refusal) = await AppendUntilRefusedAsync(store);
                Assert.Contains("reserve", refusal.Message, StringComparison.Ordinal);
                Assert.NotEmpty(acknowledged);
                // Refused before the disk was full: what is left is for checkpoints and the processor.
                Assert.True(mount.FreeBytes > 2 * MiB, $"{mount.FreeBytes} bytes free at the refusal");
                await stop.CancelAsync();
                await processing;
            }

            // The processor finishes the backlog during the outage, within the reserve.
            await DrainAsync(store);
            await AssertAllProcessedAsync(store, acknowledged);

            // Free a few MiB: ingest resumes by itself and stays up.
            File.Delete(mount.Combine("filler"));
            mount.Fill("filler-2", leaveFreeBytes: 20 * MiB);
            acknowledged.Add(await AppendUntilAcceptedAsync(store));
            for (var i = 0; i < 100; i++)
            {
                acknowledged.AddRange(await store.AppendAsync([Delivery()], Ct));
            }

            await DrainAsync(store);
            await AssertAllProcessedAsync(store, acknowledged);
        }
        finally
        {
            await DisposeStoresAsync();
        }
    }

    [Fact]
    public async Task Without_a_reserve_a_completely_full_disk_is_an_outage_that_ends_when_space_is_freed()
    {
        using var mount = TmpfsMount.MountOrSkip(32);
        try
        {
            var store = await OpenAsync(OnTmpfs(mount, reserve: 0));
            mount.Fill("filler", leaveFreeBytes: 8 * MiB);

            // The worst case: nothing kept back, SQLite itself runs into the wall (SQLITE_FULL).
            var (acknowledged, refusal) = await AppendUntilRefusedAsync(store);
            Assert.IsType<SqliteException>(refusal.InnerException);
            mount.Fill("filler-full", leaveFreeBytes: 0);
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendAsync([Delivery()], Ct));

            File.Delete(mount.Combine("filler"));
            acknowledged.Add(await AppendUntilAcceptedAsync(store));
            await DrainAsync(store);
            await AssertAllProcessedAsync(store, acknowledged);
        }
        finally
        {
            await DisposeStoresAsync();
        }
    }

    [Fact]
    public async Task A_restart_during_the_outage_wedges_nothing_and_everything_acknowledged_is_processed_once_space_returns()
    {
        using var mount = TmpfsMount.MountOrSkip(48);
        try
        {
            var options = OnTmpfs(mount);
            var store = await OpenAsync(options);
            mount.Fill("filler", leaveFreeBytes: 20 * MiB);
            var (acknowledged, _) = await AppendUntilRefusedAsync(store);

            // Restart in the middle of the outage with nothing processed: the whole backlog waits for the processor,
            // whose events need more room than the reserve keeps. The store opens, ingest is still refused, and the
            // processor takes what space there is and pauses on SQLITE_FULL without wedging.
            await store.DisposeAsync();
            _stores.Remove(store);
            SqliteConnection.ClearAllPools();

            var reopened = await OpenAsync(options);
            (var more, _) = await AppendUntilRefusedAsync(reopened);
            acknowledged.AddRange(more);
            var processor = Processor(reopened);
            for (var i = 0; i < 200; i++)
            {
                try
                {
                    if ((await processor.ProcessNextBatchAsync(Ct)).Deliveries == 0)
                    {
                        break;
                    }
                }
                catch (StoreUnavailableException)
                {
                    break;
                }
            }

            // Space returns: everything acknowledged is processed, ingest resumes.
            File.Delete(mount.Combine("filler"));
            await DrainAsync(reopened);
            await AssertAllProcessedAsync(reopened, acknowledged);
            acknowledged.Add(await AppendUntilAcceptedAsync(reopened));
            await DrainAsync(reopened);
            await AssertAllProcessedAsync(reopened, acknowledged);
        }
        finally
        {
            await DisposeStoresAsync();
        }
    }

    /// <summary>Closes every connection before the tmpfs is unmounted.</summary>
    private async Task DisposeStoresAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
        SqliteConnection.ClearAllPools();
    }
}

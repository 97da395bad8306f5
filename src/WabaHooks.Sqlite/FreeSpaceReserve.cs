using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

/// <summary>
/// Refuses new deliveries while the data directory's filesystem has less free space than the reserve, so the space
/// that is left goes to what lets the store recover by itself: checkpoints (which copy the write-ahead log into the
/// database file before truncating it) and the processor's commits. Without it the inbox takes the last byte, and
/// then nothing can run — not even the checkpoint that would give space back.
/// </summary>
/// <remarks>
/// A filesystem query costs a system call, so a sample is reused for <see cref="SampleInterval"/>; meanwhile every
/// admitted batch is subtracted from it (twice: once in the log, once in the database file after the checkpoint), so a
/// burst of our own cannot overrun the reserve between two samples. Near the reserve (less than twice it left by the
/// estimate) every batch measures again: what other processes write is seen at once where it matters, and a few
/// microseconds per batch cost nothing next to the fsync. Not thread-safe: the store calls it under its write lock.
/// </remarks>
internal sealed class FreeSpaceReserve
{
    /// <summary>How long a sample of the free space is trusted, away from the reserve. The store recovers within this of space coming back.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _directory;
    private readonly long _reserve;
    private readonly TimeProvider _time;
    private readonly Func<string, long> _probe;
    private long _sampledAt = long.MinValue;
    private long _free;
    private long _admittedSinceSample;

    public FreeSpaceReserve(string directory, long reserve, TimeProvider time, Func<string, long>? probe)
    {
        _directory = directory;
        _reserve = reserve;
        _time = time;
        _probe = probe ?? AvailableFreeSpace;
    }

    /// <summary>
    /// Admits <paramref name="bytes"/> more, or throws when that would leave less than the reserve free.
    /// A reserve of 0 turns the check off.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The filesystem is (nearly) full.</exception>
    public void Admit(long bytes)
    {
        if (_reserve == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (_sampledAt == long.MinValue || _time.GetElapsedTime(_sampledAt, now) >= SampleInterval || Estimate() < 2 * _reserve)
        {
            try
            {
                _free = _probe(_directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
            {
                // Unknown free space is not a reason to refuse deliveries: SQLite still reports a full disk itself.
                _free = long.MaxValue;
            }

            _sampledAt = now;
            _admittedSinceSample = 0;
        }

        var left = Estimate() - (2 * bytes);
        if (left < _reserve)
        {
            throw new StoreUnavailableException(
                $"The disk holding {_directory} has {Mib(Math.Max(0, _free - _admittedSinceSample))} free, below the reserve of {Mib(_reserve)} kept for checkpoints and processing. Deliveries are refused until space is freed.");
        }

        _admittedSinceSample += 2 * bytes;
    }

    private long Estimate() => _free == long.MaxValue ? long.MaxValue : _free - _admittedSinceSample;

    private static long AvailableFreeSpace(string directory) =>
        // statvfs on Unix (f_bavail: what an unprivileged writer may use), GetDiskFreeSpaceEx on Windows. DriveInfo on
        // Unix takes any path on the filesystem, not only its mount point.
        new DriveInfo(directory).AvailableFreeSpace;

    private static string Mib(long bytes) => FormattableString.Invariant($"{bytes / 1048576.0:0.#} MiB");
}

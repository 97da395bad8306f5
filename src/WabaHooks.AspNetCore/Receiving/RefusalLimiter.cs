using System.Net;
using System.Threading.RateLimiting;
using WabaHooks.Hosting;

namespace WabaHooks.AspNetCore.Receiving;

/// <summary>
/// A token bucket per source address that only refusals draw from: once an address has spent its burst, its next
/// refusals are answered 429 and not logged. Valid deliveries never ask it, so Meta's traffic is never limited.
/// </summary>
/// <remarks>
/// Not the rate limiting middleware: it takes a permit before the endpoint runs, when nobody knows yet whether the
/// request is valid, so it would limit Meta's deliveries along with a scanner's. The same limiter type, asked after the
/// refusal, limits only what was refused. Buckets of addresses that go quiet are dropped by the partitioned limiter.
/// </remarks>
internal sealed class RefusalLimiter : IDisposable
{
    private static readonly IPAddress Unknown = IPAddress.None;

    private readonly PartitionedRateLimiter<IPAddress>? _limiter;

    public RefusalLimiter(RefusedRequestOptions options)
    {
        if (options.Burst == 0)
        {
            return;
        }

        // Whole tokens per period: PerSecond below 1 becomes one token every 1/PerSecond seconds.
        var (tokens, period) = options.PerSecond >= 1
            ? ((int)Math.Round(options.PerSecond), TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromSeconds(1 / options.PerSecond));
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket));
    }

    /// <summary>Counts one refusal of <paramref name="address"/>; false once it has used up its burst.</summary>
    public bool TryRefuse(IPAddress? address)
    {
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(address is null ? Unknown : Normalize(address));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter?.Dispose();

    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d; one address, one bucket.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Destinations;
using WabaHooks.AspNetCore.Hosting;
using WabaHooks.AspNetCore.Watchdog;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Health;

/// <summary>Liveness and readiness for load balancers and orchestrators.</summary>
internal static class HealthEndpoints
{
    public static IResult Live() => Results.Text("alive\n", "text/plain");

    /// <summary>
    /// Ready unless the inbox cannot commit (every delivery would be answered 503) or the processor has made no
    /// progress for <see cref="ProcessorOptions.StalledAfter"/> (deliveries are acknowledged but nothing is handled).
    /// </summary>
    /// <remarks>
    /// A healthy instance answers from what the writer and the processor last saw, without touching the store: a probe
    /// every few seconds must not compete with the writer for SQLite's write lock. Only after a failed commit does it
    /// check the store itself, so an instance taken out of the load balancer (and so receiving nothing that could
    /// clear the failure) comes back once the store does.
    /// A missing subscription, a silence or a failing destination is not cured by taking this instance out of the load
    /// balancer, so they show among the details but keep the status 200.
    /// </remarks>
    public static async Task<IResult> ReadyAsync(HttpContext context, bool details, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var (reason, detail) = await UnreadyBecauseAsync(services, cancellationToken).ConfigureAwait(false);
        var report = new ReadinessReport(reason is null ? "ready" : "unavailable", reason);
        if (details)
        {
            // Looked up rather than injected: the watchdog and destinations are optional.
            report = report with
            {
                Detail = detail,
                Watchdog = services.GetService<SubscriptionWatchdog>()?.Report(),
                Destinations = services.GetService<DestinationStatusBoard>()?.Report(),
            };
        }

        return Results.Json(report, HealthJsonContext.Default.ReadinessReport, statusCode: reason is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<(string? Reason, string? Detail)> UnreadyBecauseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<GroupCommitWriter>().LastCommitFailure is not null)
        {
            try
            {
                await services.GetRequiredService<IDeliveryStore>().CheckWritableAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException ex)
            {
                return ("the inbox cannot commit deliveries", ex.Message);
            }
        }

        var stalledAfter = services.GetRequiredService<ProcessorOptions>().StalledAfter;
        if (services.GetRequiredService<ProcessingProgress>().Stall() is { } stall && stall.Since >= stalledAfter)
        {
            var minutes = Math.Floor(stall.Since.TotalMinutes).ToString(CultureInfo.InvariantCulture);
            return ($"processing has made no progress for {minutes} min", stall.Reason);
        }

        return (null, null);
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaHooks.Hosting.Health;

namespace WabaHooks.AspNetCore.Health;

/// <summary>How <c>MapWabaHooksHealth</c> answers: the health checks tagged live or ready, written as WabaHooks' own bodies.</summary>
internal static class HealthEndpoints
{
    public static HealthCheckOptions Liveness() => new()
    {
        Predicate = check => check.Tags.Contains(WabaHooksHealthChecks.LiveTag),
        ResponseWriter = static (context, report) =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status == HealthStatus.Unhealthy ? "unavailable\n" : "alive\n");
        },
    };

    /// <summary>
    /// Ready unless a check tagged ready is unhealthy. The body is <c>{"status","reason"}</c>; with
    /// <paramref name="details"/>, also the failing check's error and every JSON section the checks report (the
    /// destinations' circuits, the watchdog).
    /// </summary>
    public static HealthCheckOptions Readiness(bool details) => new()
    {
        Predicate = check => check.Tags.Contains(WabaHooksHealthChecks.ReadyTag),
        ResponseWriter = (context, report) => WriteReadinessAsync(context, report, details),
    };

    private static async Task WriteReadinessAsync(HttpContext context, HealthReport report, bool details)
    {
        // Checks are named in order; the first unhealthy one gives the reason, in words that name no id or error text.
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Value).FirstOrDefault();
        var unhealthy = report.Status == HealthStatus.Unhealthy;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", unhealthy ? "unavailable" : "ready");
        if (unhealthy)
        {
            json.WriteString("reason", failing.Description ?? "a health check failed");
        }

        if (details)
        {
            if (unhealthy && failing.Data.TryGetValue(WabaHooksHealthChecks.DetailKey, out var detail))
            {
                json.WriteString("detail", detail.ToString());
            }

            foreach (var (_, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                foreach (var (key, value) in entry.Data)
                {
                    if (value is JsonElement section)
                    {
                        json.WritePropertyName(key);
                        section.WriteTo(json);
                    }
                }
            }
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WabaHooks.Hosting;

namespace WabaHooks.Cli.Serving;

/// <summary>
/// How <c>serve</c> exports telemetry, the way a library user would: OpenTelemetry's SDK over the <c>WabaHooks</c> meter,
/// ASP.NET Core, HttpClient and the runtime; Prometheus for <c>/metrics</c>, and OTLP for metrics, traces and logs when
/// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class GatewayTelemetry
{
    public const string DefaultServiceName = "wabahooks";

    /// <summary>
    /// The most tag combinations each metric stream keeps; further ones add to one overflow point
    /// (<c>otel.metric.overflow="true"</c>), visibly. The SDK's default of 2,000 pre-allocates a 144 KB array per stream,
    /// about 7 MB over serve's ~50 streams, on the large-object heap; the tags here are bounded far below this (outcomes,
    /// event types, destinations, handlers, routes).
    /// </summary>
    public const int CardinalityLimit = 500;

    public static void Add(WebApplicationBuilder builder, bool prometheus)
    {
        // The SDK reads the standard OTEL_* variables itself (endpoint, protocol, headers); the service name is set here
        // so that without OTEL_SERVICE_NAME it is "wabahooks" rather than the SDK's "unknown_service".
        var serviceName = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : DefaultServiceName;
        var otlp = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 };
        if (!prometheus && !otlp)
        {
            return; // Nothing to export to: no SDK, no listener, no cost.
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WabaHooksTelemetry.MeterName)
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit })
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(WabaHooksTelemetry.ActivitySourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
                .WithLogging()
                .UseOtlpExporter();
        }
    }
}

using WabaHooks.Graph.Watchdog;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Cli.Serving;

/// <summary>What <c>serve</c> prints once it listens: where Meta should call, with what, and what to do next.</summary>
internal static class StartupBanner
{
    public static void Write(
        TextWriter output,
        IEnumerable<string> addresses,
        string path,
        ResolvedCredentials credentials,
        WabaHooksOptions options,
        string dataDir,
        string? postgres,
        WatchdogOptions? watch,
        IEnumerable<DestinationOptions> destinations,
        IEnumerable<string>? metrics = null,
        IEnumerable<string>? admin = null)
    {
        var callbacks = addresses.Select(a => a.TrimEnd('/') + path).ToList();
        output.WriteLine("WabaHooks is receiving WhatsApp webhooks.");
        foreach (var callback in callbacks)
        {
            output.WriteLine($"  Callback URL:  {callback}");
        }

        output.WriteLine(postgres is null
            ? $"  Store:         SQLite in {Path.GetFullPath(dataDir)}"
            : $"  Store:         PostgreSQL, {Commands.StoreDescription.Of(postgres)}");
        output.WriteLine($"  Health:        {callbacks[0][..^path.Length]}/healthz, /readyz");
        foreach (var line in admin ?? [])
        {
            output.WriteLine($"  Dashboard:     {line}");
        }

        foreach (var scrape in metrics ?? [])
        {
            output.WriteLine($"  Metrics:       {scrape}   (Prometheus)");
        }

        if (watch is { WabaIds.Count: > 0 })
        {
            // Names what is watched and how often, never the token.
            var silence = watch.SilenceWarning > TimeSpan.Zero ? $"silence warning after {watch.SilenceWarning:c}" : "no silence warning";
            output.WriteLine($"  Watchdog:      WABA {string.Join(", ", watch.WabaIds)}, subscribed_apps every {watch.SubscriptionCheckInterval:c}, {silence} (see /readyz)");
        }

        foreach (var destination in destinations.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            // The name, format and host only: a URL's path, query or user info may carry credentials.
            output.WriteLine($"  Destination:   {destination.Name} ({destination.Format.ToString().ToLowerInvariant()}) -> {destination.Url!.Scheme}://{destination.Url.Authority}");
        }

        if (credentials.GeneratedVerifyToken is not null)
        {
            output.WriteLine($"  Verify token:  {credentials.GeneratedVerifyToken}   (generated, kept in {credentials.CredentialsFile})");
        }

        if (credentials.GeneratedAppSecret is not null)
        {
            output.WriteLine($"  App secret:    {credentials.GeneratedAppSecret}   (generated, for local tests only)");
            output.WriteLine();
            output.WriteLine("  No app secret is configured. Meta signs with your app's secret, so Meta's deliveries will be REFUSED (401)");
            output.WriteLine("  until you give it: --app-secret SECRET, or WabaHooks:AppSecrets (App Dashboard > App settings > Basic).");
        }
        else
        {
            output.WriteLine($"  App secrets:   {string.Join(", ", Signatures.AppSecret.NameByPosition(options.AppSecrets).Select(s => s.AppId))}");
        }

        output.WriteLine();
        output.WriteLine("  Next: Meta calls only public HTTPS URLs with a CA-issued certificate. Put this behind your HTTPS reverse proxy");
        output.WriteLine("  (or use --https-cert/--https-key), then in the App Dashboard > WhatsApp > Configuration enter the callback URL");
        output.WriteLine("  and the verify token, and subscribe to the fields you need (messages at least).");
        output.WriteLine("  Try it:            " + TriggerLine(callbacks[0], credentials, dataDir));
        output.WriteLine("  See what arrived:  wabahooks deliveries list --data-dir " + dataDir);
        output.Flush();
    }

    /// <summary>
    /// A <c>trigger</c> command that reaches this gateway, signed so it is accepted and marked as a test. With a
    /// generated secret, trigger reads it from the data directory (named in full, so the line works from any folder); a configured secret is never printed, so the line
    /// names a variable to hold it.
    /// </summary>
    private static string TriggerLine(string callback, ResolvedCredentials credentials, string dataDir) =>
        $"wabahooks trigger messages --url {callback} " + (credentials.GeneratedAppSecret is not null
            ? $"--data-dir {Quoted(Path.GetFullPath(dataDir))}"
            : "--app-secret \"$APP_SECRET\"");

    private static string Quoted(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;
}

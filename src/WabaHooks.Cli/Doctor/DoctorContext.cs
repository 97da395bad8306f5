using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;
using WabaHooks.Graph;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Doctor;

/// <summary>The deployment as the doctor sees it: the configuration serve runs with, and what the options added.</summary>
internal sealed class DoctorContext
{
    /// <summary>The configuration, as serve would read it (file, environment, options).</summary>
    public required IConfiguration Configuration { get; init; }

    /// <summary>Problems found while reading the configuration file itself (missing, not JSON).</summary>
    public IReadOnlyList<string> LoadErrors { get; init; } = [];

    /// <summary>serve's own settings (Serve section).</summary>
    public required ServeOptions Serve { get; init; }

    /// <summary>The SQLite data directory (also where serve keeps generated credentials).</summary>
    public required string DataDir { get; init; }

    /// <summary>The PostgreSQL connection string, or null when the store is SQLite.</summary>
    public string? Postgres { get; init; }

    /// <summary>The callback URL to check: the public one given with --url, else the local gateway's.</summary>
    public required Uri CallbackUrl { get; init; }

    /// <summary>Whether <see cref="CallbackUrl"/> is the public URL Meta calls (--url), not the local address.</summary>
    public bool CallbackUrlIsPublic { get; init; }

    /// <summary>The verify token: configured, or the one serve generated.</summary>
    public string? VerifyToken { get; init; }

    /// <summary>The configured app secrets (not the locally generated one).</summary>
    public IReadOnlyList<AppSecret> AppSecrets { get; init; } = [];

    /// <summary>Where Graph is, with the tokens when any was given; null tokens mean the Graph checks are skipped.</summary>
    public required GraphClientOptions Graph { get; init; }

    /// <summary>The Meta app whose subscription is checked.</summary>
    public string? AppId { get; init; }

    /// <summary>The WABAs whose subscribed_apps are checked.</summary>
    public IReadOnlyList<string> WabaIds { get; init; } = [];

    /// <summary>The phone numbers whose override is checked.</summary>
    public IReadOnlyList<string> PhoneNumberIds { get; init; } = [];

    /// <summary>The fields the app's subscription must include.</summary>
    public IReadOnlyList<string> ExpectedFields { get; init; } = ["messages"];

    /// <summary>How long one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock certificates and skew are judged by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Which configuration file was read, for messages.</summary>
    public string Source => CliConfiguration.Source(Configuration);

    /// <summary>The token for the WABA and phone-number endpoints, when one was given.</summary>
    public bool HasAccessToken => Graph.ResolveAccessToken() is not null;
}

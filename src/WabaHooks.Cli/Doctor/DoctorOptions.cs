using System.CommandLine;
using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Commands;
using WabaHooks.Cli.Configuration;
using WabaHooks.Graph;
using WabaHooks.Graph.Watchdog;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Cli.Doctor;

/// <summary>The doctor's options, and the <see cref="DoctorContext"/> they and the configuration make.</summary>
internal sealed class DoctorOptions
{
    private readonly CommonOptions _common = new();

    public Option<string?> Url { get; } = new("--url") { Description = "The public callback URL, as entered in the App Dashboard; its handshake, certificate and the subscriptions are checked against it [default: the local gateway's address]." };

    public Option<string?> VerifyToken { get; } = new("--verify-token") { Description = "The verify token [default: the configured one, else the one serve generated]." };

    public Option<string?> AppId { get; } = new("--app-id") { Description = "The Meta app whose subscription is checked [default: Watchdog:AppId, else the app id of the first APP_ID:SECRET app secret]." };

    public Option<string?> AppSecret { get; } = new("--app-secret") { Description = "The app secret, to build the app access token APP_ID|SECRET for /{app-id}/subscriptions [default: Watchdog:Graph:AppAccessToken, else the access token]. Never printed." };

    public Option<string?> AccessToken { get; } = new("--access-token") { Description = $"A system-user token with whatsapp_business_management [default: Watchdog:Graph:AccessToken, else ${GraphClientOptions.AccessTokenEnvironmentVariable}]. Never printed." };

    public Option<string?> GraphUrl { get; } = new("--graph-url") { Description = "The Graph API base URL [default: Watchdog:Graph:BaseUrl, else https://graph.facebook.com]." };

    public Option<string?> GraphVersion { get; } = new("--graph-version") { Description = "The Graph API version [default: Watchdog:Graph:Version, else v24.0]." };

    public Option<string[]> WabaIds { get; } = new("--waba-id") { Description = "A WABA whose subscribed_apps is checked; repeatable [default: Watchdog:WabaIds].", Arity = ArgumentArity.ZeroOrMore };

    public Option<string[]> PhoneNumberIds { get; } = new("--phone-number-id") { Description = "A phone number whose callback override is checked; repeatable [default: none].", Arity = ArgumentArity.ZeroOrMore };

    public Option<string[]> Fields { get; } = new("--field") { Description = "A field the app's subscription must include; repeatable [default: messages].", Arity = ArgumentArity.ZeroOrMore };

    public Option<double> Timeout { get; } = new("--timeout") { Description = "Seconds to wait for each answer.", DefaultValueFactory = _ => 10 };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object: verdict, counts, and each check with its verdict, detail and fix." };

    public void AddTo(Command command)
    {
        _common.AddTo(command);
        foreach (var option in new Option[] { Url, VerifyToken, AppId, AppSecret, AccessToken, GraphUrl, GraphVersion, WabaIds, PhoneNumberIds, Fields, Timeout, Json })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The deployment to check. Problems in the configuration itself are not errors here: they are the configuration
    /// check's finding. <paramref name="errors"/> receives only misuse of the doctor's own options.
    /// </summary>
    public DoctorContext? Resolve(ParseResult parse, ICollection<string> errors)
    {
        var loadErrors = new List<string>();
        var configuration = _common.Load(parse, loadErrors);
        var ignored = new List<string>();
        var local = LocalGateway.Resolve(configuration, ignored);
        var serve = new ServeOptions();
        var serveSection = configuration.GetSection(CliConfiguration.Key("Serve"));
        SettingsBinder.Bind(serveSection, serve, serveSection.Path, ignored);
        var gateway = new WabaHooksOptions();
        SettingsBinder.Bind(configuration.GetSection(CliConfiguration.Section), gateway, CliConfiguration.Section, ignored, ["Destinations", "Sqlite", "Postgres", "Watchdog", "Serve"]);
        var watchdog = new WatchdogOptions();
        var watchdogSection = configuration.GetSection(CliConfiguration.Key("Watchdog"));
        SettingsBinder.Bind(watchdogSection, watchdog, watchdogSection.Path, ignored);

        var callbackUrl = local.CallbackUrl;
        if (parse.GetValue(Url) is { } given && (!Uri.TryCreate(given, UriKind.Absolute, out callbackUrl) || (callbackUrl.Scheme != Uri.UriSchemeHttps && callbackUrl.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add($"--url must be an absolute https (or http) URL, such as https://hooks.example.com/webhook (was '{given}').");
        }

        var timeout = parse.GetValue(Timeout);
        if (timeout is not (> 0 and <= 600))
        {
            errors.Add("--timeout must be between 0 and 600 seconds.");
        }

        var graph = Graph(parse, watchdog.Graph, TimeSpan.FromSeconds(Math.Clamp(timeout, 0.01, 600)), errors);
        var appId = parse.GetValue(AppId) ?? watchdog.AppId ?? gateway.AppSecrets.FirstOrDefault(s => s.HasAppId && s.AppId != Serving.ResolvedCredentials.LocalAppId)?.AppId;
        if (parse.GetValue(AppSecret) is { Length: > 0 } secret)
        {
            if (appId is null)
            {
                errors.Add("--app-secret needs --app-id: the app access token is APP_ID|SECRET.");
            }
            else
            {
                graph.AppAccessToken = GraphClientOptions.CreateAppAccessToken(appId, secret);
            }
        }

        if (errors.Count > 0 || callbackUrl is null)
        {
            return null;
        }

        var wabaIds = parse.GetValue(WabaIds) is { Length: > 0 } wabas ? wabas : [.. watchdog.WabaIds];
        var fields = parse.GetValue(Fields) is { Length: > 0 } named ? named : ["messages"];
        return new DoctorContext
        {
            Configuration = configuration,
            LoadErrors = loadErrors,
            Serve = serve,
            DataDir = CliConfiguration.DataDir(configuration),
            Postgres = CliConfiguration.Postgres(configuration, ignored),
            CallbackUrl = callbackUrl,
            CallbackUrlIsPublic = parse.GetValue(Url) is not null,
            VerifyToken = parse.GetValue(VerifyToken) ?? local.VerifyToken,
            AppSecrets = [.. gateway.AppSecrets],
            Graph = graph,
            AppId = appId,
            WabaIds = wabaIds,
            PhoneNumberIds = parse.GetValue(PhoneNumberIds) ?? [],
            ExpectedFields = fields,
            RequestTimeout = TimeSpan.FromSeconds(Math.Clamp(timeout, 0.01, 600)),
        };
    }

    private GraphClientOptions Graph(ParseResult parse, GraphClientOptions configured, TimeSpan timeout, ICollection<string> errors)
    {
        var graph = new GraphClientOptions
        {
            BaseUrl = configured.BaseUrl,
            Version = parse.GetValue(GraphVersion) ?? configured.Version,
            AccessToken = parse.GetValue(AccessToken) ?? configured.AccessToken,
            AppAccessToken = configured.AppAccessToken,
            // One attempt each: the doctor reports what is; a retry schedule would only delay the report.
            MaxRetries = 0,
            RequestTimeout = timeout,
        };
        if (parse.GetValue(GraphUrl) is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var baseUrl))
            {
                graph.BaseUrl = baseUrl;
            }
            else
            {
                errors.Add($"--graph-url must be an absolute http or https URL, such as https://graph.facebook.com (was '{url}').");
            }
        }

        foreach (var problem in graph.Validate())
        {
            errors.Add(problem.Replace("BaseUrl", "--graph-url", StringComparison.Ordinal).Replace("Version", "--graph-version", StringComparison.Ordinal));
        }

        return graph;
    }
}

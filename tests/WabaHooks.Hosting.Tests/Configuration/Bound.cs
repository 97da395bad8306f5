using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Hosting.Tests.Configuration;

/// <summary>What <c>AddWabaHooks(configuration)</c> makes of a configuration: the options, and every start-up problem.</summary>
internal sealed class Bound : IDisposable
{
    private readonly ServiceProvider _provider;

    private Bound(ServiceProvider provider, List<string> problems)
    {
        _provider = provider;
        Problems = problems;
    }

    /// <summary>Every problem start-up validation reports, in one list.</summary>
    public List<string> Problems { get; }

    public WabaHooksOptions Options => _provider.GetRequiredService<IOptions<WabaHooksOptions>>().Value;

    public IServiceProvider Services => _provider;

    public T Get<T>()
        where T : class => _provider.GetRequiredService<IOptions<T>>().Value;

    /// <summary>The configured destinations, in configuration order.</summary>
    public IReadOnlyList<DestinationOptions> Destinations
    {
        get
        {
            var monitor = _provider.GetRequiredService<IOptionsMonitor<DestinationOptions>>();
            return [.. _provider.GetServices<DestinationName>().Select(d => monitor.Get(d.Name))];
        }
    }

    /// <summary>The configuration a JSON file holding <paramref name="json"/> gives, as a root.</summary>
    public static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>Binds the <c>WabaHooks</c> section of <paramref name="configuration"/> as a host would at start-up.</summary>
    public static Bound From(IConfiguration configuration, Action<WabaHooksBuilder>? more = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddWabaHooks(configuration.GetSection("WabaHooks"));
        more?.Invoke(builder);
        var provider = services.BuildServiceProvider();
        var problems = new List<string>();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            problems.AddRange(ex.Failures);
        }
        catch (AggregateException ex)
        {
            problems.AddRange(ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        }

        return new Bound(provider, problems);
    }

    /// <summary>Binds <c>{ "WabaHooks": <paramref name="json"/> }</c>.</summary>
    public static Bound From(string json, Action<WabaHooksBuilder>? more = null) => From(Json($$"""{ "WabaHooks": {{json}} }"""), more);

    /// <summary>The valid minimum beside <paramref name="more"/>: a verify token and an app secret, so only other problems show.</summary>
    public static Bound Valid(string more = "", Action<WabaHooksBuilder>? builder = null) =>
        From($$"""{ "VerifyToken": "token", "AppSecrets": [ "app:secret" ]{{(more.Length > 0 ? ", " + more : "")}} }""", builder);

    public void Dispose() => _provider.Dispose();
}

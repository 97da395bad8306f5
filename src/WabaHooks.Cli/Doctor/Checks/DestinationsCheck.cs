using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Cli.Commands;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>Each configured HTTP destination answers a signed test with a 2xx, as <c>wabahooks destinations test</c> sends it.</summary>
internal sealed class DestinationsCheck : IDoctorCheck
{
    public const string Name = "destination";

    string IDoctorCheck.Name => Name;

    public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var destinations = ConfiguredDestinations.Read(context.Configuration, problems);
        if (destinations.Count == 0)
        {
            return problems.Count == 0
                ? [Finding.Skip(Name, "none configured.")]
                : [Finding.Fail(Name, string.Join(" ", problems), "Fix the Destinations settings named.")];
        }

        // The same named client, with the same rules, as the gateway sends through; the tests go out side by side.
        using var services = new ServiceCollection().AddDestinationHttpClients().BuildServiceProvider();
        var factory = services.GetRequiredService<IHttpClientFactory>();
        var tests = destinations.Select(d => TestAsync(d, factory, cancellationToken)).ToList();
        return await Task.WhenAll(tests).ConfigureAwait(false);
    }

    private static async Task<Finding> TestAsync(DestinationOptions destination, IHttpClientFactory factory, CancellationToken cancellationToken)
    {
        var name = $"{Name} {destination.Name}";
        var response = await new DestinationClient(destination, factory).SendTestAsync(cancellationToken).ConfigureAwait(false);
        var latency = response.Latency.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
        if (response.Succeeded)
        {
            return Finding.Pass(name, $"HTTP {response.StatusCode?.ToString(CultureInfo.InvariantCulture)} to a signed test in {latency}.");
        }

        var answer = response.StatusCode is { } status ? $"HTTP {status.ToString(CultureInfo.InvariantCulture)}" : "no answer";
        return Finding.Fail(
            name,
            $"{answer} after {latency} ({response.Error}){(response.Head is { Length: > 0 } head ? ": " + head.ReplaceLineEndings(" ") : "")}.",
            $"Events for it wait and retry meanwhile. Check that the receiver runs at its URL and accepts its secret; wabahooks destinations test {destination.Name} repeats this.");
    }
}

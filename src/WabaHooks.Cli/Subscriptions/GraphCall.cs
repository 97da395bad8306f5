using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Cli.Commands;
using WabaHooks.Graph;

namespace WabaHooks.Cli.Subscriptions;

/// <summary>Runs one Graph API operation for a command and turns each way it can fail into a message and an exit code.</summary>
internal static class GraphCall
{
    public static async Task<int> RunAsync(string command, GraphClientOptions options, Func<GraphClient, Task> operation, CancellationToken cancellationToken)
    {
        // The named client the gateway's watchdog uses too, so every Graph call goes one way.
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var client = new GraphClient(services.GetRequiredService<IHttpClientFactory>(), options);
        try
        {
            await operation(client).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (GraphApiException ex)
        {
            Write(Console.Error, command, ex);
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync(
                $"wabahooks {command}: the Graph API at {options.BaseUrl} did not answer within {options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, on any attempt.").ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"wabahooks {command}: cannot reach the Graph API at {options.BaseUrl}: {ex.Message}").ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            // The client checks ids and URLs before sending; nothing reached Meta.
            await Console.Error.WriteLineAsync($"wabahooks {command}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }

        return ExitCodes.Failure;
    }

    /// <summary>Meta's error object, field by field, in Meta's names: what a user quotes to Meta support.</summary>
    public static void Write(TextWriter error, string command, GraphApiException ex)
    {
        var status = (int)ex.StatusCode == 0 ? "" : $" (HTTP {((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture)} {ex.StatusCode})";
        error.WriteLine($"wabahooks {command}: the Graph API refused the request{status}.");
        error.WriteLine($"  message:           {ex.Message}");
        Line(error, "code", ex.Code?.ToString(CultureInfo.InvariantCulture));
        Line(error, "error_subcode", ex.ErrorSubcode?.ToString(CultureInfo.InvariantCulture));
        Line(error, "type", ex.ErrorType);
        Line(error, "error_user_title", ex.ErrorUserTitle);
        Line(error, "error_user_msg", ex.ErrorUserMsg);
        Line(error, "fbtrace_id", ex.FbtraceId);
        if (ex.Attempts > 1)
        {
            Line(error, "attempts", ex.Attempts.ToString(CultureInfo.InvariantCulture));
        }

        if (ex.StatusCode is HttpStatusCode.Unauthorized || ex.Code == 190)
        {
            error.WriteLine("  The access token is invalid or expired: create a new one (the token itself is never printed).");
        }
    }

    private static void Line(TextWriter error, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            error.WriteLine($"  {(name + ":").PadRight(18)} {value}");
        }
    }
}

using System.Globalization;

namespace WabaHooks.Cli.Doctor;

/// <summary>
/// Runs every check at once, each bounded in time and fenced off: an exception or a hang becomes that check's failure,
/// and the others still report. Findings come back in the order the checks were given.
/// </summary>
internal static class DoctorRunner
{
    public static async Task<IReadOnlyList<Finding>> RunAsync(IReadOnlyList<IDoctorCheck> checks, DoctorContext context, TimeSpan perCheck, CancellationToken cancellationToken)
    {
        var runs = checks.Select(check => RunOneAsync(check, context, perCheck, cancellationToken)).ToList();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        return [.. results.SelectMany(r => r)];
    }

    private static async Task<IReadOnlyList<Finding>> RunOneAsync(IDoctorCheck check, DoctorContext context, TimeSpan perCheck, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(perCheck);
        try
        {
            // Yield first, so a check that blocks before its first await still runs beside the others.
            await Task.Yield();
            var findings = await check.RunAsync(context, bound.Token).WaitAsync(bound.Token).ConfigureAwait(false);
            return findings.Count > 0 ? findings : [Finding.Skip(check.Name, "nothing to check.")];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [Finding.Fail(check.Name, $"no answer within {perCheck.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", "Find what hangs (a firewall dropping packets, a stuck server), or give doctor more time with --timeout.")];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [Finding.Fail(check.Name, $"the check could not run: {ex.GetType().Name}: {ex.Message}", "Fix what the error names, then run wabahooks doctor again.")];
        }
    }
}

using Microsoft.AspNetCore.Http;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Hosting.Admin;

namespace WabaHooks.Dashboard.Views;

/// <summary>
/// The bulk replay page: a filter (as on the events list), a destination and an action; the page first says how many
/// events it would go through, and only then offers to start.
/// </summary>
/// <param name="Filter">The filter as given.</param>
/// <param name="Action"><c>replay</c> or <c>retry</c>.</param>
/// <param name="Destination">The chosen sink, if any.</param>
/// <param name="Sinks">The sinks registered in this gateway, to choose from.</param>
/// <param name="Count">How many events the job would go through now, once a destination is chosen.</param>
/// <param name="Error">Why the filter or the choice cannot be used.</param>
/// <param name="Jobs">The bulk jobs of this process, newest first.</param>
public sealed record BulkPlan(EventListFilter Filter, string Action, string? Destination, IReadOnlyList<string> Sinks, long? Count, string? Error, IReadOnlyList<BulkJob> Jobs)
{
    internal static async Task<BulkPlan> ReadAsync(IQueryCollection query, WabaHooksOperations operations, WabaHooksQueries queries, BulkJobs jobs, CancellationToken cancellationToken)
    {
        var filter = EventListFilter.From(query);
        var action = query["action"].ToString() == "retry" ? "retry" : "replay";
        var destination = query["sink"].ToString() is { Length: > 0 } d ? d : null;
        var sinks = queries.RegisteredSinks.Select(s => s.Name).ToList();
        var errors = new List<string>();
        var request = Request(query, action, destination, errors);
        long? count = null;
        if (request is not null)
        {
            count = await operations.CountAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return new BulkPlan(filter, action, destination, sinks, count, errors.Count == 0 ? null : string.Join(" ", errors), jobs.List());
    }

    /// <summary>The bulk request the form describes, or <see langword="null"/> with the problems.</summary>
    internal static BulkRequest? Request(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values, string action, string? destination, List<string> errors)
    {
        var filter = AdminFilters.FromQuery(new QueryCollection(values.Where(p => EventListFilter.Keys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value)), errors);
        if (destination is null || errors.Count > 0)
        {
            return null;
        }

        return new BulkRequest(action == "retry" ? BulkAction.Retry : BulkAction.Replay, destination, filter with { BeforeSequence = null, Limit = 50 });
    }
}

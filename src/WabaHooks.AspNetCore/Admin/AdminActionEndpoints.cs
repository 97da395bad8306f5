using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// The operator actions: each needs <see cref="WabaHooksAdminPolicies.Operator"/> and, with a cookie, an antiforgery
/// token; each is written to the audit log by <see cref="WabaHooksOperations"/>.
/// </summary>
internal static class AdminActionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var actions = api.MapGroup("")
            .RequireAuthorization(WabaHooksAdminPolicies.Operator)
            .AddEndpointFilter<AdminAntiforgeryFilter>()
            .DisableAntiforgery(); // Checked by the filter above, the same way for JSON bodies and forms.
        actions.MapPost("/retry", Retry).WithSummary("Retry one (event, destination) pair that was not delivered: due now, attempts reset.");
        actions.MapPost("/replay", Replay).WithSummary("Replay events to a destination: sent again by choice, with their original idempotency keys.");
        actions.MapPost("/destinations/{name}/pause", Pause).WithSummary("Pause a destination: no instance sends to it until resumed.");
        actions.MapPost("/destinations/{name}/resume", Resume).WithSummary("Resume a paused destination.");
        actions.MapPost("/destinations/{name}/test", TestDestination).WithSummary("Send a destination a test in its format and answer what it said: status or broker confirmation, latency.");
        actions.MapPost("/bulk/count", CountBulk).WithSummary("How many events a bulk retry or replay from this filter would go through: ask before starting.");
        actions.MapPost("/bulk", StartBulk).WithSummary("Start a bulk retry or replay from a filter as a tracked job.");
        actions.MapPost("/bulk/{id}/abort", AbortBulk).WithSummary("Abort a running bulk job; what it did stays done.");
        api.MapGet("/bulk", ListBulk).WithSummary("Bulk jobs of this process, newest first, with progress.");
        api.MapGet("/bulk/{id}", GetBulk).WithSummary("One bulk job and its progress.");
    }

    private static async Task<Results<Ok<CountJson>, ValidationProblem>> Retry(RetryRequestJson request, HttpContext http, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.EventId) || string.IsNullOrEmpty(request.Destination))
        {
            return AdminQueryEndpoints.Invalid(["Give eventId and destination."]);
        }

        return TypedResults.Ok(new CountJson(await operations.RetryAsync(request.EventId, request.Destination, AdminActor.Of(http), cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<ReplayJson>, ValidationProblem>> Replay(ReplayRequestJson request, HttpContext http, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Destination) || request.EventIds is not { Count: > 0 and <= WabaHooksQueries.MaxPageSize })
        {
            return AdminQueryEndpoints.Invalid([$"Give destination and 1 to {WabaHooksQueries.MaxPageSize} eventIds; for more, use a bulk replay from a filter."]);
        }

        try
        {
            var result = await operations.ReplayAsync(request.EventIds, request.Destination, AdminActor.Of(http), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new ReplayJson(result.Queued, result.Skipped));
        }
        catch (ArgumentException ex)
        {
            return AdminQueryEndpoints.Invalid([ex.Message]);
        }
    }

    private static async Task<Ok<CountJson>> Pause(string name, HttpContext http, WabaHooksOperations operations, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CountJson(await operations.PauseAsync(name, AdminActor.Of(http), cancellationToken).ConfigureAwait(false) ? 1 : 0));

    private static async Task<Ok<CountJson>> Resume(string name, HttpContext http, WabaHooksOperations operations, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CountJson(await operations.ResumeAsync(name, AdminActor.Of(http), cancellationToken).ConfigureAwait(false) ? 1 : 0));

    private static async Task<Results<Ok<DestinationTestJson>, ValidationProblem>> TestDestination(string name, HttpContext http, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        try
        {
            var response = await operations.TestDestinationAsync(name, AdminActor.Of(http), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new DestinationTestJson(
                response.Succeeded, response.StatusCode, response.Latency.TotalMilliseconds, response.Error, response.Head, WabaHooksOperations.Describe(response)));
        }
        catch (ArgumentException ex)
        {
            return AdminQueryEndpoints.Invalid([ex.Message]);
        }
    }

    private static async Task<Results<Ok<CountJson>, ValidationProblem>> CountBulk(BulkRequestJson request, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var bulk = Read(request, errors);
        return bulk is null ? AdminQueryEndpoints.Invalid(errors) : TypedResults.Ok(new CountJson(await operations.CountAsync(bulk, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Accepted<JobJson>, ValidationProblem>> StartBulk(BulkRequestJson request, HttpContext http, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var bulk = Read(request, errors);
        if (bulk is null)
        {
            return AdminQueryEndpoints.Invalid(errors);
        }

        try
        {
            var job = await operations.StartBulkAsync(bulk, AdminActor.Of(http), cancellationToken).ConfigureAwait(false);
            return TypedResults.Accepted($"{http.Request.PathBase}{http.Request.Path}/{job.Id}", JobJson.From(job));
        }
        catch (ArgumentException ex)
        {
            return AdminQueryEndpoints.Invalid([ex.Message]);
        }
    }

    private static Results<Ok<JobJson>, NotFound> AbortBulk(string id, BulkJobs jobs)
    {
        if (jobs.Get(id) is not { } job)
        {
            return TypedResults.NotFound();
        }

        job.Abort();
        return TypedResults.Ok(JobJson.From(job));
    }

    private static Ok<IReadOnlyList<JobJson>> ListBulk(BulkJobs jobs) => TypedResults.Ok<IReadOnlyList<JobJson>>([.. jobs.List().Select(JobJson.From)]);

    private static Results<Ok<JobJson>, NotFound> GetBulk(string id, BulkJobs jobs) =>
        jobs.Get(id) is { } job ? TypedResults.Ok(JobJson.From(job)) : TypedResults.NotFound();

    private static BulkRequest? Read(BulkRequestJson request, List<string> errors)
    {
        var action = request.Action?.ToLowerInvariant() switch
        {
            "retry" => BulkAction.Retry,
            "replay" => (BulkAction?)BulkAction.Replay,
            _ => null,
        };
        if (action is null)
        {
            errors.Add($"action '{request.Action}' is not retry or replay.");
        }

        if (string.IsNullOrEmpty(request.Destination))
        {
            errors.Add("Give the destination to retry or replay to.");
        }

        var filter = AdminFilters.From(request.Filter, errors);
        return errors.Count > 0 ? null : new BulkRequest(action!.Value, request.Destination, filter);
    }
}

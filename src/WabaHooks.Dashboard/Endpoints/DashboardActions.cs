using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Dashboard.Views;
using WabaHooks.Hosting.Admin;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>
/// The pages' forms: each needs the operator policy the admin API's actions need and a valid antiforgery token,
/// goes through <see cref="WabaHooksOperations"/> (which writes the audit log), then redirects back (post, redirect,
/// get) with a one-line result.
/// </summary>
internal static class DashboardActions
{
    public static void Map(RouteGroupBuilder group)
    {
        var actions = group.MapGroup("/actions")
            .RequireAuthorization(WabaHooksAdminPolicies.Operator)
            .DisableAntiforgery() // validated below, for every form the same way
            .AddEndpointFilter(ValidateAntiforgeryAsync);
        actions.MapPost("/retry", RetryAsync);
        actions.MapPost("/replay", ReplayAsync);
        actions.MapPost("/pause", (HttpContext c, WabaHooksOperations o, CancellationToken t) => PauseAsync(c, o, true, t));
        actions.MapPost("/resume", (HttpContext c, WabaHooksOperations o, CancellationToken t) => PauseAsync(c, o, false, t));
        actions.MapPost("/test", TestAsync);
        actions.MapPost("/bulk", BulkAsync);
        actions.MapPost("/bulk/{id}/abort", Abort);
    }

    private static async ValueTask<object?> ValidateAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Text("The form expired or did not come from this dashboard (antiforgery token missing or invalid). Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }

        return await next(context).ConfigureAwait(false);
    }

    private static async Task<IResult> RetryAsync(HttpContext context, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var (eventId, sink) = (form["event"].ToString(), form["sink"].ToString());
        if (eventId.Length == 0 || sink.Length == 0)
        {
            return Results.BadRequest("Give the event and the sink.");
        }

        var count = await operations.RetryAsync(eventId, sink, DashboardRoles.Actor(context), cancellationToken).ConfigureAwait(false);
        return Back(context, "/event", ("id", eventId), ("done", count > 0 ? $"Retry of {sink} scheduled now." : $"Nothing to retry: {sink} already has it."));
    }

    private static async Task<IResult> ReplayAsync(HttpContext context, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var (eventId, sink) = (form["event"].ToString(), form["sink"].ToString());
        if (eventId.Length == 0 || sink.Length == 0)
        {
            return Results.BadRequest("Give the event and the sink.");
        }

        string done;
        try
        {
            var result = await operations.ReplayAsync([eventId], sink, DashboardRoles.Actor(context), cancellationToken).ConfigureAwait(false);
            done = result.Queued > 0 ? $"Replay to {sink} queued." : $"Not replayed: {sink}'s filter does not select this event.";
        }
        catch (ArgumentException ex)
        {
            done = ex.Message;
        }

        return Back(context, "/event", ("id", eventId), ("done", done));
    }

    private static async Task<IResult> PauseAsync(HttpContext context, WabaHooksOperations operations, bool pause, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var sink = form["sink"].ToString();
        if (sink.Length == 0)
        {
            return Results.BadRequest("Give the destination.");
        }

        var actor = DashboardRoles.Actor(context);
        var changed = pause
            ? await operations.PauseAsync(sink, actor, cancellationToken).ConfigureAwait(false)
            : await operations.ResumeAsync(sink, actor, cancellationToken).ConfigureAwait(false);
        var done = (pause, changed) switch
        {
            (true, true) => $"{sink} paused: nothing is sent to it until it is resumed.",
            (true, false) => $"{sink} was already paused.",
            (false, true) => $"{sink} resumed.",
            _ => $"{sink} was not paused.",
        };
        return Back(context, "/destinations", ("done", done));
    }

    private static async Task<IResult> TestAsync(HttpContext context, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var sink = form["sink"].ToString();
        if (sink.Length == 0)
        {
            return Results.BadRequest("Give the destination.");
        }

        string done;
        try
        {
            var response = await operations.TestDestinationAsync(sink, DashboardRoles.Actor(context), cancellationToken).ConfigureAwait(false);
            done = $"Test to {sink}: {WabaHooksOperations.Describe(response)}{(response.Succeeded ? " — it took it." : ".")}";
        }
        catch (ArgumentException ex)
        {
            done = ex.Message;
        }

        return Back(context, "/destinations", ("done", done));
    }

    private static async Task<IResult> BulkAsync(HttpContext context, WabaHooksOperations operations, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var errors = new List<string>();
        var action = form["action"].ToString() == "retry" ? "retry" : "replay";
        var sink = form["sink"].ToString() is { Length: > 0 } s ? s : null;
        if (sink is null)
        {
            errors.Add("Choose a destination.");
        }

        var request = BulkPlan.Request(form, action, sink, errors);
        if (request is null)
        {
            return Results.BadRequest(string.Join(" ", errors));
        }

        try
        {
            var job = await operations.StartBulkAsync(request, DashboardRoles.Actor(context), cancellationToken).ConfigureAwait(false);
            return Back(context, $"/replay/jobs/{job.Id}");
        }
        catch (ArgumentException ex)
        {
            return Results.BadRequest(ex.Message);
        }
    }

    private static IResult Abort(HttpContext context, BulkJobs jobs, string id)
    {
        if (jobs.Get(id) is not { } job)
        {
            return Results.NotFound();
        }

        var aborted = job.Abort();
        return Back(context, $"/replay/jobs/{id}", ("done", aborted ? "Abort asked: the job stops after the chunk in hand." : "The job had already ended."));
    }

    private static IResult Back(HttpContext context, string path, params (string, string?)[] query) =>
        Results.Redirect(DashboardRequest.Build(DashboardRequests.BasePath(context) + path, query));
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using WabaHooks.Dashboard.Components.Pages;
using WabaHooks.Dashboard.Queries;
using WabaHooks.Dashboard.Views;
using WabaHooks.Hosting.Admin;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>
/// The pages: each GET reads through the admin query layer into a view model, then renders a server-side Razor
/// component with it. Components only display; they never query.
/// </summary>
internal static class DashboardPages
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", (HttpContext context) => Results.Redirect(DashboardRequests.BasePath(context) + "/events"));
        group.MapGet("/events", EventsAsync);
        group.MapGet("/events/rows", EventRowsAsync);
        group.MapGet("/unrouted", UnroutedAsync);
        group.MapGet("/event", EventAsync);
        group.MapGet("/deliveries", DeliveriesAsync);
        group.MapGet("/deliveries/{id:long}", DeliveryAsync);
        group.MapGet("/deliveries/{id:long}/raw", RawAsync);
        group.MapGet("/messages", MessagesAsync);
        group.MapGet("/destinations", DestinationsAsync);
        group.MapGet("/failures", FailuresAsync);
        group.MapGet("/audit", AuditAsync);
        group.MapGet("/replay", ReplayAsync);
        group.MapGet("/replay/jobs/{id}", JobAsync);
        group.MapGet("/replay/jobs/{id}/progress", JobProgressAsync);
        WhatsAppPages.Map(group);
    }

    private static async Task<IResult> EventsAsync(HttpContext context, DashboardQueries queries, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var view = await queries.ListEventsAsync(context.Request.Query, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<LiveEvents>(new { Request = request, View = view, Stream = request.Api("/stream", view.Filter.Query()) });
    }

    private static async Task<IResult> UnroutedAsync(HttpContext context, DashboardQueries queries, CancellationToken cancellationToken)
    {
        var query = new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(
            context.Request.Query.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal) { ["unrouted"] = "true" });
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var view = await queries.ListEventsAsync(query, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<LiveEvents>(new
        {
            Request = request,
            View = view,
            Stream = request.Api("/stream", view.Filter.Query()),
            Title = "Unrouted events",
            Active = "unrouted",
            Path = "/unrouted",
            Intro = (string?)"Events that matched no destination and no handler: stored, but handed to nobody. Widen a destination's filter (Fields, Types, WabaIds, PhoneNumberIds) or add a handler to route them.",
        });
    }

    private static async Task<IResult> EventRowsAsync(HttpContext context, DashboardQueries queries, long after, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var rows = await queries.FollowEventsAsync(context.Request.Query, after, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<EventRowsFragment>(new { Request = request, Rows = rows });
    }

    private static async Task<IResult> EventAsync(HttpContext context, DashboardQueries queries, string? id, CancellationToken cancellationToken)
    {
        var view = string.IsNullOrEmpty(id) ? null : await queries.GetEventAsync(id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return Results.NotFound($"No event with id {id} is stored.");
        }

        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<EventPage>(new { Request = request, View = view });
    }

    private static async Task<IResult> DeliveriesAsync(HttpContext context, DashboardQueries queries, string? cursor, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        try
        {
            var (rows, next) = await queries.ListDeliveriesAsync(cursor, cancellationToken).ConfigureAwait(false);
            return new RazorComponentResult<Deliveries>(new { Request = request, Rows = rows, Next = next, First = cursor is null });
        }
        catch (FormatException ex)
        {
            return Results.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> DeliveryAsync(HttpContext context, DashboardQueries queries, long id, CancellationToken cancellationToken)
    {
        var view = await queries.GetDeliveryAsync(id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return Results.NotFound($"No delivery #{id} is stored (retention may have removed its body).");
        }

        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<DeliveryPage>(new { Request = request, View = view });
    }

    /// <summary>The exact bytes Meta sent, as text the browser shows (never sniffed into anything else).</summary>
    private static async Task<IResult> RawAsync(DashboardQueries queries, long id, CancellationToken cancellationToken) =>
        await queries.GetDeliveryBodyAsync(id, cancellationToken).ConfigureAwait(false) is { } body
            ? Results.Bytes(body, "text/plain; charset=utf-8")
            : Results.NotFound();

    private static async Task<IResult> MessagesAsync(HttpContext context, DashboardQueries queries, string? wamid, CancellationToken cancellationToken)
    {
        var view = await queries.GetMessageAsync(wamid, cancellationToken).ConfigureAwait(false);
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<Messages>(new { Request = request, View = view });
    }

    private static async Task<IResult> DestinationsAsync(HttpContext context, DashboardQueries queries, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var destinations = await queries.ListDestinationsAsync(TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<DestinationsPage>(new { Request = request, Rows = destinations });
    }

    private static async Task<IResult> FailuresAsync(HttpContext context, DashboardQueries queries, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var dead = await queries.ListDeadLettersAsync(cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<Failures>(new { Request = request, Groups = FailureGroup.From([.. dead.Items.Select(d => d.Item)]), Newest = dead.Next is null ? (int?)null : dead.Items.Count });
    }

    private static async Task<IResult> AuditAsync(HttpContext context, DashboardQueries queries, string? cursor, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        try
        {
            var page = await queries.ListAuditAsync(cursor, cancellationToken).ConfigureAwait(false);
            return new RazorComponentResult<Audit>(new { Request = request, Page = page, First = cursor is null });
        }
        catch (FormatException ex)
        {
            return Results.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> ReplayAsync(HttpContext context, WabaHooksOperations operations, WabaHooksQueries queries, BulkJobs jobs, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var view = await BulkPlan.ReadAsync(context.Request.Query, operations, queries, jobs, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<BulkReplay>(new { Request = request, View = view });
    }

    private static async Task<IResult> JobAsync(HttpContext context, BulkJobs jobs, string id)
    {
        if (jobs.Get(id) is not { } job)
        {
            return Results.NotFound($"No bulk job {id} in this process (jobs are kept until it restarts).");
        }

        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<BulkJobPage>(new { Request = request, Job = job });
    }

    private static async Task<IResult> JobProgressAsync(HttpContext context, BulkJobs jobs, string id)
    {
        if (jobs.Get(id) is not { } job)
        {
            return Results.NotFound();
        }

        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<BulkJobProgress>(new { Request = request, Job = job });
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using WabaHooks.Dashboard.Components.Pages;
using WabaHooks.Dashboard.Queries;
using WabaHooks.Dashboard.Views;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>
/// The pages: each GET reads through the query layer into a view model, then renders a server-side Razor component
/// with it. Components only display; they never query.
/// </summary>
internal static class DashboardPages
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", (HttpContext context) => Results.Redirect(DashboardRequests.BasePath(context) + "/events"));
        group.MapGet("/events", EventsAsync);
        group.MapGet("/events/rows", EventRowsAsync);
        group.MapGet("/event", EventAsync);
        group.MapGet("/deliveries/{id:long}", DeliveryAsync);
        group.MapGet("/deliveries/{id:long}/raw", RawAsync);
        group.MapGet("/messages", MessagesAsync);
    }

    private static async Task<IResult> EventsAsync(HttpContext context, DashboardQueries queries, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var view = await queries.ListEventsAsync(EventListFilter.From(context.Request.Query), null, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<LiveEvents>(new { Request = request, View = view, Stream = (string?)null });
    }

    private static async Task<IResult> EventAsync(HttpContext context, DashboardQueries queries, string? id, CancellationToken cancellationToken)
    {
        var view = string.IsNullOrEmpty(id) ? null : await queries.GetEventAsync(id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return Results.NotFound($"No event with id {id} is stored.");
        }

        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<EventDetail>(new { Request = request, View = view });
    }

    private static async Task<IResult> DeliveryAsync(HttpContext context, DashboardQueries queries, long id, CancellationToken cancellationToken)
    {
        var view = await queries.GetDeliveryAsync(id, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return Results.NotFound($"No delivery #{id} is stored (retention may have removed its body).");
        }

        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        return new RazorComponentResult<DeliveryDetail>(new { Request = request, View = view });
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

    private static async Task<IResult> EventRowsAsync(HttpContext context, DashboardQueries queries, long after, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var view = await queries.ListEventsAsync(EventListFilter.From(context.Request.Query) with { Before = null }, after, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<EventRowsFragment>(new { Request = request, Rows = view.Rows });
    }
}

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
    }

    private static async Task<IResult> EventsAsync(HttpContext context, DashboardQueries queries, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var view = await queries.ListEventsAsync(EventListFilter.From(context.Request.Query), null, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<LiveEvents>(new { Request = request, View = view, Stream = (string?)null });
    }

    private static async Task<IResult> EventRowsAsync(HttpContext context, DashboardQueries queries, long after, CancellationToken cancellationToken)
    {
        var request = await DashboardRequests.CreateAsync(context).ConfigureAwait(false);
        var view = await queries.ListEventsAsync(EventListFilter.From(context.Request.Query) with { Before = null }, after, cancellationToken).ConfigureAwait(false);
        return new RazorComponentResult<EventRowsFragment>(new { Request = request, Rows = view.Rows });
    }
}

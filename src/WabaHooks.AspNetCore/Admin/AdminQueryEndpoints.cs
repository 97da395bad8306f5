using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>The read side of the admin API: every list goes through <see cref="WabaHooksQueries"/>.</summary>
internal static class AdminQueryEndpoints
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/me", Me).WithSummary("Who the caller is: role, and whether it may act.");
        api.MapGet("/antiforgery", Antiforgery).WithSummary("The antiforgery token that cookie-authenticated state-changing calls send in the header named here.");
        api.MapGet("/events", ListEvents).WithSummary("Events, newest first, filtered; keyset cursor in 'next'.");
        api.MapGet("/events/count", CountEvents).WithSummary("How many events the filter selects.");
        api.MapGet("/events/{id}", GetEvent).WithSummary("One event with its payload, delivery, sinks and attempts.");
        api.MapGet("/unrouted", ListUnrouted).WithSummary("Events that matched no destination or handler, newest first.");
        api.MapGet("/deliveries", ListDeliveries).WithSummary("Deliveries (what Meta POSTed), newest first, with what each turned into.");
        api.MapGet("/deliveries/{id:long}", GetDelivery).WithSummary("One delivery with its body and events.");
        api.MapGet("/deliveries/{id:long}/raw", GetDeliveryRaw).WithSummary("The delivery's exact bytes as received.");
        api.MapGet("/attempts", ListAttempts).WithSummary("Attempts, newest first: ?event=&destination=&succeeded=&status=&since=&until=&cursor=&limit=.");
        api.MapGet("/destinations", ListDestinations).WithSummary("Every destination and handler: backlog, circuit, pause, success rate and p50/p95 latency over ?window=minutes (default 60).");
        api.MapGet("/dead-letters", ListDeadLetters).WithSummary("Dead letters, newest first by when each died: ?destination=&cursor=&limit=; keyset cursor in 'next'.");
        api.MapGet("/messages/{wamid}", GetMessage).WithSummary("An outbound message's status timeline by wamid.");
        api.MapGet("/audit", ListAudit).WithSummary("The audit log of operator actions, newest first.");
    }

    private static MeJson Me(HttpContext http) => new(
        http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null,
        AdminAccessHandler.Describe(http) switch
        {
            AdminAccessMode.Tokens => http.User.IsInRole(WabaHooksAdminRoles.Operator),
            AdminAccessMode.LocalOnly => AdminAccessHandler.IsLocal(http),
            _ => true,
        },
        AdminAccessHandler.Describe(http) switch
        {
            AdminAccessMode.Tokens => "tokens",
            AdminAccessMode.LocalOnly => "local",
            _ => "application",
        });

    private static AntiforgeryJson Antiforgery(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new(tokens.HeaderName ?? "RequestVerificationToken", tokens.RequestToken ?? "");
    }

    private static async Task<Results<Ok<PageJson<EventJson>>, ValidationProblem>> ListEvents(HttpContext http, WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var query = AdminFilters.FromQuery(http.Request.Query, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var page = await queries.ListEventsAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new PageJson<EventJson>([.. page.Items.Select(EventJson.From)], page.Next));
    }

    private static async Task<Results<Ok<CountJson>, ValidationProblem>> CountEvents(HttpContext http, WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var query = AdminFilters.FromQuery(http.Request.Query, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        return TypedResults.Ok(new CountJson(await queries.CountEventsAsync(query, cancellationToken).ConfigureAwait(false)));
    }

    private static Task<Results<Ok<PageJson<EventJson>>, ValidationProblem>> ListUnrouted(HttpContext http, WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        http.Request.QueryString = http.Request.QueryString.Add("unrouted", "true");
        return ListEvents(http, queries, cancellationToken);
    }

    private static async Task<Results<Ok<EventDetailJson>, NotFound>> GetEvent(string id, WabaHooksQueries queries, CancellationToken cancellationToken) =>
        await queries.GetEventAsync(id, cancellationToken).ConfigureAwait(false) is { } detail
            ? TypedResults.Ok(EventDetailJson.From(detail))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<PageJson<DeliveryJson>>, ValidationProblem>> ListDeliveries(string? cursor, int? limit, WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        try
        {
            var page = await queries.ListDeliveriesAsync(limit ?? 50, cursor, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new PageJson<DeliveryJson>([.. page.Items.Select(d => DeliveryJson.From(d.Summary, d.Outcome))], page.Next));
        }
        catch (FormatException ex)
        {
            return Invalid([ex.Message]);
        }
    }

    private static async Task<Results<Ok<DeliveryDetailJson>, NotFound>> GetDelivery(long id, WabaHooksQueries queries, CancellationToken cancellationToken) =>
        await queries.GetDeliveryAsync(id, cancellationToken).ConfigureAwait(false) is { } detail
            ? TypedResults.Ok(DeliveryDetailJson.From(detail))
            : TypedResults.NotFound();

    private static async Task<Results<FileContentHttpResult, NotFound>> GetDeliveryRaw(long id, WabaHooksQueries queries, CancellationToken cancellationToken) =>
        await queries.GetDeliveryAsync(id, cancellationToken).ConfigureAwait(false) is { } detail
            // As bytes, never as a page: application/octet-stream is not rendered by a browser, so nothing in it runs.
            ? TypedResults.File(detail.Delivery.Body.ToArray(), "application/octet-stream", $"delivery-{id.ToString(CultureInfo.InvariantCulture)}.json")
            : TypedResults.NotFound();

    private static async Task<Results<Ok<PageJson<AttemptJson>>, ValidationProblem>> ListAttempts(
        string? @event, string? destination, bool? succeeded, int? status, DateTimeOffset? since, DateTimeOffset? until, string? cursor, int? limit,
        WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        try
        {
            var page = await queries.ListAttemptsAsync(new AttemptQuery
            {
                EventId = @event,
                Sink = destination,
                Succeeded = succeeded,
                StatusCode = status,
                Since = since,
                Until = until,
                BeforeSequence = WabaHooksQueries.ParseCursor(cursor),
                Limit = limit ?? 50,
            }, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new PageJson<AttemptJson>([.. page.Items.Select(AttemptJson.From)], page.Next));
        }
        catch (FormatException ex)
        {
            return Invalid([ex.Message]);
        }
    }

    private static async Task<Ok<IReadOnlyList<DestinationJson>>> ListDestinations(double? window, WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        var span = window is > 0 and <= 7 * 24 * 60 ? TimeSpan.FromMinutes(window.Value) : DefaultWindow;
        var list = await queries.ListDestinationsAsync(span, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<DestinationJson>>([.. list.Select(DestinationJson.From)]);
    }

    private static async Task<Results<Ok<PageJson<DeadLetterJson>>, ValidationProblem>> ListDeadLetters(
        string? destination, string? cursor, int? limit, WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        try
        {
            var page = await queries.ListDeadLettersAsync(destination, limit ?? 100, cursor, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new PageJson<DeadLetterJson>([.. page.Items.Select(DeadLetterJson.From)], page.Next));
        }
        catch (FormatException ex)
        {
            return Invalid([ex.Message]);
        }
    }

    private static async Task<Results<Ok<MessageJson>, NotFound>> GetMessage(string wamid, WabaHooksQueries queries, CancellationToken cancellationToken) =>
        await queries.GetMessageStatusAsync(wamid, cancellationToken).ConfigureAwait(false) is { } history
            ? TypedResults.Ok(MessageJson.From(history))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<PageJson<AuditJson>>, ValidationProblem>> ListAudit(string? cursor, int? limit, WabaHooksQueries queries, CancellationToken cancellationToken)
    {
        try
        {
            var page = await queries.ListAuditAsync(limit ?? 50, cursor, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new PageJson<AuditJson>([.. page.Items.Select(AuditJson.From)], page.Next));
        }
        catch (FormatException ex)
        {
            return Invalid([ex.Message]);
        }
    }

    internal static ValidationProblem Invalid(IEnumerable<string> errors) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["query"] = [.. errors] }, detail: string.Join(" ", errors));
}

using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// <c>GET api/stream</c>: new events and attempts as Server-Sent Events, the events filtered like the list. Every item's
/// id is the stream position (<c>e{event sequence}.a{attempt sequence}</c>); a client that reconnects with
/// <c>Last-Event-ID</c> (browsers do it themselves) gets everything after it, nothing twice.
/// </summary>
internal static class AdminStreamEndpoint
{
    /// <summary>How often the store is read for new rows while a client listens.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private const int Batch = 200;

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/stream", Stream)
            .WithSummary("New events and attempts as Server-Sent Events (event: event | attempt | ready), filtered like GET events; resumable with Last-Event-ID.");

    private static async Task<Results<ServerSentEventsResult<StreamItemJson>, ValidationProblem>> Stream(
        HttpContext http, WabaHooksQueries queries, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var filter = AdminFilters.FromQuery(http.Request.Query, errors) with { BeforeSequence = null };
        var resume = http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : http.Request.Query["lastEventId"].ToString();
        (long Events, long Attempts)? start = null;
        if (!string.IsNullOrEmpty(resume))
        {
            start = Position.TryParse(resume, out var parsed) ? parsed : null;
            if (start is null)
            {
                errors.Add($"Last-Event-ID '{resume}' is not a position of this stream (e12.a34).");
            }
        }

        if (errors.Count > 0)
        {
            return AdminQueryEndpoints.Invalid(errors);
        }

        // Only what is stored from now on, unless resuming.
        start ??= (await queries.NewestEventSequenceAsync(cancellationToken).ConfigureAwait(false), await queries.NewestAttemptSequenceAsync(cancellationToken).ConfigureAwait(false));
        return TypedResults.ServerSentEvents(ItemsAsync(queries, time, filter, start.Value, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<StreamItemJson>> ItemsAsync(
        WabaHooksQueries queries, TimeProvider time, EventQuery filter, (long Events, long Attempts) position, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (events, attempts) = position;
        yield return new SseItem<StreamItemJson>(new StreamItemJson("ready", null, null), "ready") { EventId = Position.Format(events, attempts) };
        var attemptFilter = new AttemptQuery { Sink = filter.Destination, StatusCode = filter.HttpStatus, Limit = Batch };
        while (!cancellationToken.IsCancellationRequested)
        {
            var newEvents = await queries.FollowEventsAsync(filter, events, Batch, cancellationToken).ConfigureAwait(false);
            foreach (var row in newEvents)
            {
                events = row.Event.Sequence;
                yield return new SseItem<StreamItemJson>(new StreamItemJson("event", EventJson.From(row), null), "event") { EventId = Position.Format(events, attempts) };
            }

            var newAttempts = (await queries.ListAttemptsAsync(attemptFilter with { AfterSequence = attempts }, cancellationToken).ConfigureAwait(false)).Items;
            var shown = await EventsSelectedAsync(queries, filter, newAttempts, cancellationToken).ConfigureAwait(false);
            foreach (var attempt in newAttempts)
            {
                attempts = attempt.Sequence;
                if (!shown.Contains(attempt.Attempt.EventId))
                {
                    continue; // Its event is not one the filter selects; the position still moves past it.
                }

                yield return new SseItem<StreamItemJson>(new StreamItemJson("attempt", null, AttemptJson.From(attempt)), "attempt") { EventId = Position.Format(events, attempts) };
            }

            if (newEvents.Count < Batch && newAttempts.Count < Batch)
            {
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The ids of the attempts' events that the stream's event filter selects: attempts are narrowed like the list.</summary>
    private static async Task<HashSet<string>> EventsSelectedAsync(
        WabaHooksQueries queries, EventQuery filter, IReadOnlyList<StoredAttempt> attempts, CancellationToken cancellationToken)
    {
        if (attempts.Count == 0)
        {
            return [];
        }

        var ids = attempts.Select(a => a.Attempt.EventId).Distinct(StringComparer.Ordinal).ToList();
        var selected = await queries.ListEventsAsync(
            filter with { EventIds = ids, BeforeSequence = null, AfterSequence = null, Limit = ids.Count }, cancellationToken).ConfigureAwait(false);
        return selected.Items.Select(r => r.Event.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A stream position: the last event and attempt sequences sent.</summary>
    internal static class Position
    {
        public static string Format(long events, long attempts) =>
            string.Create(CultureInfo.InvariantCulture, $"e{events}.a{attempts}");

        public static bool TryParse(string text, out (long Events, long Attempts) position)
        {
            position = default;
            var dot = text.IndexOf(".a", StringComparison.Ordinal);
            return text.StartsWith('e') && dot > 1
                && long.TryParse(text.AsSpan(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out position.Events)
                && long.TryParse(text.AsSpan(dot + 2), NumberStyles.None, CultureInfo.InvariantCulture, out position.Attempts);
        }
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// Reads an event filter from a query string (<c>?field=…&amp;type=statuses.*&amp;waba=…&amp;phone=…&amp;destination=…&amp;outcome=dead&amp;status=500&amp;since=…&amp;until=…&amp;q=…&amp;test=false&amp;unrouted=true&amp;cursor=…&amp;limit=50</c>)
/// or a request body into the one <see cref="EventQuery"/> the store applies. Every problem is reported, none guessed.
/// </summary>
public static class AdminFilters
{
    /// <summary>The query-string keys of an event filter.</summary>
    public static readonly IReadOnlyList<string> Keys = ["field", "type", "waba", "phone", "destination", "outcome", "status", "since", "until", "q", "test", "unrouted", "cursor", "limit"];

    /// <summary>Reads the filter, cursor and limit of a list request.</summary>
    /// <param name="query">The query string.</param>
    /// <param name="errors">Told each problem, with how to fix it.</param>
    public static EventQuery FromQuery(IQueryCollection query, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        string? Text(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        var filter = From(new FilterJson(
            Text("field"), Text("type"), Text("waba"), Text("phone"), Text("destination"), Text("outcome"),
            Int(Text("status"), "status", errors), Time(Text("since"), "since", errors), Time(Text("until"), "until", errors), Text("q"),
            Bool(Text("test"), "test", errors), Bool(Text("unrouted"), "unrouted", errors)), errors);
        long? before = null;
        try
        {
            before = WabaHooksQueries.ParseCursor(Text("cursor"));
        }
        catch (FormatException ex)
        {
            errors.Add(ex.Message);
        }

        var limit = Int(Text("limit"), "limit", errors) ?? 50;
        if (limit is < 1 or > WabaHooksQueries.MaxPageSize)
        {
            errors.Add($"limit must be between 1 and {WabaHooksQueries.MaxPageSize}.");
        }

        return filter with { BeforeSequence = before, Limit = Math.Clamp(limit, 1, WabaHooksQueries.MaxPageSize) };
    }

    /// <summary>Reads a filter from a request body.</summary>
    public static EventQuery From(FilterJson? filter, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (filter is null)
        {
            return new EventQuery();
        }

        EventOutcome? outcome = filter.Outcome?.ToLowerInvariant() switch
        {
            null => null,
            "delivered" => EventOutcome.Delivered,
            "pending" => EventOutcome.Pending,
            "failed" or "failing" => EventOutcome.Failed,
            "dead" => EventOutcome.Dead,
            _ => Error<EventOutcome?>(errors, $"outcome '{filter.Outcome}' is not one of delivered, pending, failed, dead."),
        };
        if (filter.Status is < 100 or > 599)
        {
            errors.Add($"status {filter.Status} is not an HTTP status (100–599).");
        }

        if (filter.Since is { } since && filter.Until is { } until && until <= since)
        {
            errors.Add("until must be after since.");
        }

        return new EventQuery
        {
            Field = filter.Field,
            Type = filter.Type,
            WabaId = filter.Waba,
            PhoneNumberId = filter.Phone,
            Destination = filter.Destination,
            Outcome = outcome,
            HttpStatus = filter.Status,
            Since = filter.Since,
            Until = filter.Until,
            Search = filter.Q,
            Test = filter.Test,
            Unrouted = filter.Unrouted,
        };
    }

    private static T Error<T>(ICollection<string> errors, string message)
    {
        errors.Add(message);
        return default!;
    }

    private static int? Int(string? text, string key, ICollection<string> errors) =>
        text is null ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : Error<int?>(errors, $"{key} '{text}' is not a whole number.");

    private static bool? Bool(string? text, string key, ICollection<string> errors) =>
        text is null ? null
        : bool.TryParse(text, out var value) ? value
        : Error<bool?>(errors, $"{key} '{text}' is not true or false.");

    private static DateTimeOffset? Time(string? text, string key, ICollection<string> errors) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value
        : Error<DateTimeOffset?>(errors, $"{key} '{text}' is not a time; give ISO 8601 UTC, e.g. 2026-01-31T09:00:00Z.");
}

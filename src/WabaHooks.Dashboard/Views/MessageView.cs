namespace WabaHooks.Dashboard.Views;

/// <summary>The Messages page: a wamid searched and what is known of it.</summary>
/// <param name="Wamid">What was searched, if anything.</param>
/// <param name="Current">The current status (the highest reached, or failed), when the message is known.</param>
/// <param name="RecipientId">Who the current status is about.</param>
/// <param name="Timeline">Each status received, in the order stored.</param>
/// <param name="Inbound">The event id of an inbound message with this wamid, when it is one.</param>
public sealed record MessageView(string? Wamid, string? Current, string? RecipientId, IReadOnlyList<StatusStep> Timeline, string? Inbound);

/// <summary>One status in a message's timeline.</summary>
/// <param name="EventId">The status event.</param>
/// <param name="Status">sent, delivered, read, played or failed.</param>
/// <param name="Timestamp">Meta's timestamp.</param>
/// <param name="Applied">Whether it moved the current status (a late delivered after read does not).</param>
/// <param name="Errors">For a failure: each Meta error code with its title and, for the common ones, what it means.</param>
public sealed record StatusStep(string EventId, string Status, DateTimeOffset? Timestamp, bool Applied, IReadOnlyList<MetaError> Errors);

/// <summary>A Meta error as sent in a status or a value.</summary>
/// <param name="Code">Meta's code.</param>
/// <param name="Title">Meta's title.</param>
/// <param name="Details">Meta's <c>error_data.details</c>.</param>
/// <param name="Meaning">What it means and what to do, for the common codes.</param>
public sealed record MetaError(int Code, string? Title, string? Details, string? Meaning);

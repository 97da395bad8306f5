namespace WabaHooks.Graph.Watchdog;

/// <summary>The <c>watchdog</c> section of <c>/readyz</c>: warnings first, then what each WABA looks like.</summary>
/// <param name="Status"><c>ok</c>, or <c>warning</c> when there is at least one warning.</param>
/// <param name="Warnings">Each problem in a sentence that names the WABA or phone number.</param>
/// <param name="Wabas">One entry per watched WABA, in the configured order.</param>
internal sealed record WatchdogReport(string Status, IReadOnlyList<string> Warnings, IReadOnlyList<WabaWatchReport> Wabas);

/// <param name="WabaId">The watched WABA.</param>
/// <param name="Subscription"><c>subscribed</c>, <c>not_subscribed</c>, <c>check_failed</c>, or <c>unknown</c> before the first check.</param>
/// <param name="CheckedAt">When <c>subscribed_apps</c> was last asked.</param>
/// <param name="CheckError">Why the last check failed, without the token.</param>
/// <param name="LastEventAt">When the newest stored event of this WABA was stored.</param>
/// <param name="PhoneNumbers">The phone numbers seen in its events, with their newest event.</param>
internal sealed record WabaWatchReport(
    string WabaId,
    string Subscription,
    DateTimeOffset? CheckedAt,
    string? CheckError,
    DateTimeOffset? LastEventAt,
    IReadOnlyList<PhoneNumberWatchReport> PhoneNumbers);

/// <param name="PhoneNumberId">The phone number id from <c>metadata.phone_number_id</c>.</param>
/// <param name="LastEventAt">When its newest event was stored.</param>
internal sealed record PhoneNumberWatchReport(string PhoneNumberId, DateTimeOffset LastEventAt);

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// <c>serve</c>'s watchdog settings: keys <c>WatchWabaId</c>, <c>WatchAppId</c>, <c>AccessToken</c>, <c>GraphUrl</c>,
/// <c>SubscriptionCheckInterval</c> and <c>SilenceWarning</c>. <see cref="ToString"/> never shows the token.
/// </summary>
internal sealed record WatchSettings
{
    public IReadOnlyList<string> WabaIds { get; init; } = [];

    public string? AppId { get; init; }

    public string? AccessToken { get; init; }

    public Uri? GraphUrl { get; init; }

    public TimeSpan SubscriptionCheckInterval { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan SilenceWarning { get; init; } = TimeSpan.FromHours(1);

    public override string ToString() =>
        $"WatchSettings {{ WabaIds = [{string.Join(", ", WabaIds)}], AppId = {AppId}, AccessToken = {(AccessToken is null ? "(not set)" : "(set)")}, GraphUrl = {GraphUrl}, SubscriptionCheckInterval = {SubscriptionCheckInterval}, SilenceWarning = {SilenceWarning} }}";
}

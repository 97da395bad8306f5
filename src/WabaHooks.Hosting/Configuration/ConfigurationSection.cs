namespace WabaHooks.Hosting.Configuration;

/// <summary>A sub-section of the WabaHooks section that an extension reads (<c>Sqlite</c>, <c>Watchdog</c>…), so it is not an unknown key.</summary>
internal sealed record ClaimedSection(string Key);

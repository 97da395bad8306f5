using Microsoft.Extensions.Configuration;
using WabaHooks.Signatures;

namespace WabaHooks.Hosting.Configuration;

/// <summary>
/// Binds a configuration section onto an options object and collects every problem, each naming its key and the fix:
/// unknown keys (a typo never silently widens a filter or drops a limit), values of the wrong type, secrets from files
/// that cannot be read. Secret values never appear in a problem.
/// </summary>
/// <remarks>
/// Not <c>ConfigurationBinder</c> with <c>ErrorOnUnknownConfiguration</c>: that one stops at the first problem, reads a
/// bare number as days for a <see cref="TimeSpan"/> (<c>"BreakDuration": 30</c> would pause a destination for a month),
/// and has no form for <c>"APP_ID:SECRET"</c> strings or secrets kept in files. This binder reads the same sources and
/// the same key paths, so environment variables (<c>WabaHooks__Handlers__MaxAttempts</c>) work as everywhere in .NET.
/// </remarks>
internal static class SettingsBinder
{
    /// <summary>The key of a secret kept in a file: <c>"Secret": { "File": "/run/secrets/app_secret" }</c>.</summary>
    public const string FileKey = "File";

    /// <summary>The sub-sections of the WabaHooks section that an extension reads, and the call that reads each.</summary>
    private static readonly Dictionary<string, string> SectionReaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Sqlite"] = "UseSqlite()",
        ["Postgres"] = "UsePostgres()",
        ["Watchdog"] = "AddSubscriptionWatchdog()",
        ["Serve"] = "wabahooks serve",
    };

    /// <summary>Sets every setting <paramref name="section"/> holds on <paramref name="target"/>.</summary>
    /// <param name="section">The section whose children are <paramref name="target"/>'s settings.</param>
    /// <param name="target">The options object.</param>
    /// <param name="path">The section's path, for messages (<c>WabaHooks:Handlers</c>).</param>
    /// <param name="problems">Receives every problem.</param>
    /// <param name="otherKeys">Keys that belong to something else (sections read by the store or the watchdog).</param>
    public static void Bind(IConfiguration section, object target, string path, ICollection<string> problems, IReadOnlyCollection<string>? otherKeys = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(target);
        var settings = Setting.Of(target.GetType());
        foreach (var child in section.GetChildren())
        {
            if (otherKeys?.Contains(child.Key, StringComparer.OrdinalIgnoreCase) == true)
            {
                continue;
            }

            var setting = settings.FirstOrDefault(s => string.Equals(s.Key, child.Key, StringComparison.OrdinalIgnoreCase));
            if (setting is null)
            {
                problems.Add(otherKeys is not null && SectionReaders.TryGetValue(child.Key, out var reader)
                    ? $"{path}:{child.Key} is read by {reader}, which this application does not use: use it, or remove the section."
                    : UnknownKey($"{path}:{child.Key}", child.Key, settings.Select(s => s.Key).Concat(otherKeys ?? [])));
                continue;
            }

            BindSetting(child, setting, target, $"{path}:{setting.Key}", problems);
        }
    }

    /// <summary>
    /// A secret: the value itself, or the content of the file <c>{ "File": path }</c> names, without trailing line breaks.
    /// <see langword="null"/> (with a problem added) when the file cannot be read or the section is of another shape.
    /// </summary>
    public static string? ReadSecret(IConfigurationSection section, string path, ICollection<string> problems)
    {
        if (section.Value is { } value)
        {
            return value;
        }

        var children = section.GetChildren().ToList();
        if (children.Count == 1 && string.Equals(children[0].Key, FileKey, StringComparison.OrdinalIgnoreCase) && children[0].Value is { Length: > 0 } file)
        {
            try
            {
                return File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                problems.Add($"{path}: cannot read the secret file {file} ({ex.GetType().Name}: {ex.Message}). Check the path and that this user may read it.");
                return null;
            }
        }

        problems.Add($"{path}: give the secret as a string, or as {{ \"File\": \"/run/secrets/name\" }} to read it from a file.");
        return null;
    }

    private static void BindSetting(IConfigurationSection section, Setting setting, object target, string path, ICollection<string> problems)
    {
        var property = setting.Property;
        switch (setting.Kind)
        {
            case SettingKind.Object:
                if (section.Value is { Length: > 0 })
                {
                    problems.Add($"{path} holds settings, not a single value: write it as an object, e.g. \"{setting.Key}\": {{ … }}.");
                    return;
                }

                var nested = property.GetValue(target);
                if (nested is null)
                {
                    nested = Activator.CreateInstance(setting.ValueType)!;
                    property.SetValue(target, nested);
                }

                Bind(section, nested, path, problems);
                return;

            case SettingKind.List:
                var list = (IList<string>)property.GetValue(target)!;
                list.Clear();
                foreach (var item in ListItems(section, path, problems).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
                {
                    list.Add(item);
                }

                return;

            case SettingKind.AppSecrets:
                var secrets = (IList<AppSecret>)property.GetValue(target)!;
                secrets.Clear();
                foreach (var secret in ReadAppSecrets(section, path, problems))
                {
                    secrets.Add(secret);
                }

                return;

            case SettingKind.Secret:
                if (ReadSecret(section, path, problems) is { } text)
                {
                    property.SetValue(target, text);
                }

                return;

            default:
                if (section.Value is null)
                {
                    if (section.GetChildren().Any())
                    {
                        problems.Add($"{path} is a single value, not an object.");
                    }

                    return;
                }

                if (section.Value.Length == 0 && setting.ValueType != typeof(string))
                {
                    return; // Empty (JSON null, or VAR= in the environment): the default stays.
                }

                var read = SettingValues.Read(setting.ValueType, section.Value, out var expected);
                if (expected is not null)
                {
                    problems.Add($"{path} is '{section.Value}': expected {expected}.");
                    return;
                }

                property.SetValue(target, read);
                return;
        }
    }

    private static List<string> ListItems(IConfigurationSection section, string path, ICollection<string> problems)
    {
        if (section.Value is { } single)
        {
            return [single];
        }

        var items = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (child.Value is { } value)
            {
                items.Add(value);
            }
            else
            {
                problems.Add($"{path}:{child.Key} must be a string.");
            }
        }

        return items;
    }

    private static IEnumerable<AppSecret> ReadAppSecrets(IConfigurationSection section, string path, ICollection<string> problems)
    {
        var entries = section.Value is not null ? [section] : section.GetChildren().ToList();
        var secrets = new List<AppSecret>();
        foreach (var entry in entries)
        {
            var where = entry == section ? path : $"{path}:{entry.Key}";
            if (entry.Value is { } text)
            {
                try
                {
                    secrets.Add(AppSecret.Parse(text));
                }
                catch (FormatException)
                {
                    problems.Add($"{where}: give the secret as \"APP_ID:SECRET\", \"SECRET\", or {{ \"AppId\": \"…\", \"Secret\": \"…\" }}.");
                }

                continue;
            }

            var appId = entry["AppId"];
            foreach (var key in entry.GetChildren().Select(c => c.Key).Where(k => !k.Equals("AppId", StringComparison.OrdinalIgnoreCase) && !k.Equals("Secret", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add(UnknownKey($"{where}:{key}", key, ["AppId", "Secret"]));
            }

            var secretSection = entry.GetSection("Secret");
            if (!secretSection.Exists())
            {
                problems.Add($"{where} has no Secret: add your Meta app's secret (App settings > Basic), as a string or {{ \"File\": path }}.");
                continue;
            }

            if (ReadSecret(secretSection, $"{where}:Secret", problems) is { } secret)
            {
                if (string.IsNullOrWhiteSpace(secret))
                {
                    problems.Add($"{where}:Secret is empty.");
                }
                else
                {
                    secrets.Add(new AppSecret(appId, secret));
                }
            }
        }

        return secrets;
    }

    private static string UnknownKey(string path, string key, IEnumerable<string> known)
    {
        var names = known.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var near = names.Where(n => Distance(n.ToUpperInvariant(), key.ToUpperInvariant()) <= 2).ToList();
        var hint = near.Count > 0 ? $" Did you mean {string.Join(" or ", near)}?" : "";
        return $"{path} is not a setting.{hint} The settings here are: {string.Join(", ", names)}.";
    }

    /// <summary>Levenshtein distance, for "did you mean" on a mistyped key.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}

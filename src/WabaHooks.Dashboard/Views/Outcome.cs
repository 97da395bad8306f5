namespace WabaHooks.Dashboard.Views;

/// <summary>Where one (event, destination or handler) pair stands, in the words the pages show.</summary>
public enum Outcome
{
    /// <summary>The sink took it.</summary>
    Delivered,

    /// <summary>Not tried yet, or waiting for its next try after a failure that still has attempts left.</summary>
    Pending,

    /// <summary>Its last attempt failed and another is scheduled.</summary>
    Failing,

    /// <summary>Ran out of attempts: a dead letter.</summary>
    Dead,
}

/// <summary>How an outcome is shown: an icon and a word beside the colour, never colour alone.</summary>
public static class OutcomeText
{
    /// <summary>The icon beside the word.</summary>
    public static string Icon(Outcome outcome) => outcome switch
    {
        Outcome.Delivered => "✓",
        Outcome.Pending => "…",
        Outcome.Failing => "↻",
        Outcome.Dead => "✕",
        _ => "?",
    };

    /// <summary>The word, also the colour class.</summary>
    public static string Word(Outcome outcome) => outcome switch
    {
        Outcome.Delivered => "delivered",
        Outcome.Pending => "pending",
        Outcome.Failing => "failing",
        Outcome.Dead => "dead",
        _ => "unknown",
    };

    /// <summary>An outcome from its word, or <see langword="null"/>.</summary>
    public static Outcome? Parse(string? text) => text?.ToLowerInvariant() switch
    {
        "delivered" => Outcome.Delivered,
        "pending" => Outcome.Pending,
        "failing" or "failed" => Outcome.Failing,
        "dead" => Outcome.Dead,
        _ => null,
    };
}

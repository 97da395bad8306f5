namespace WabaHooks.Cli.Doctor;

/// <summary>What a check concluded.</summary>
internal enum Verdict
{
    /// <summary>Checked, and right.</summary>
    Pass,

    /// <summary>Checked, and wrong: the deployment needs the fix.</summary>
    Fail,

    /// <summary>Not checked, for the reason given (nothing configured to check, or a prerequisite missing).</summary>
    Skip,
}

/// <summary>One line of the doctor's report: which check, its verdict, what was found, and what to do about it.</summary>
/// <param name="Check">The check's name, such as <c>store schema</c>.</param>
/// <param name="Verdict">Pass, fail or skip.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">What to do, for a failure (and for a skip that could be turned into a check).</param>
internal sealed record Finding(string Check, Verdict Verdict, string Detail, string? Fix = null)
{
    public static Finding Pass(string check, string detail) => new(check, Verdict.Pass, detail);

    public static Finding Fail(string check, string detail, string fix) => new(check, Verdict.Fail, detail, fix);

    public static Finding Skip(string check, string detail, string? fix = null) => new(check, Verdict.Skip, detail, fix);
}

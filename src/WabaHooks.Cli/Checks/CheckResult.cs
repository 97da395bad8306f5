namespace WabaHooks.Cli.Checks;

/// <summary>One check of an endpoint against Meta's contract: what was checked, whether it passed, and why.</summary>
internal sealed record CheckResult(string Name, bool Passed, string Detail)
{
    public static CheckResult Pass(string name, string detail) => new(name, true, detail);

    public static CheckResult Fail(string name, string detail) => new(name, false, detail);
}

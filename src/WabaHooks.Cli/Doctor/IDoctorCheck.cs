namespace WabaHooks.Cli.Doctor;

/// <summary>
/// One thing <c>wabahooks doctor</c> checks. Checks share nothing but the <see cref="DoctorContext"/> they read, so one
/// that fails or throws takes no other down with it.
/// </summary>
internal interface IDoctorCheck
{
    /// <summary>The name of the check, used when it cannot run at all.</summary>
    string Name { get; }

    /// <summary>Runs the check: one finding, or one per item checked (a WABA, a destination).</summary>
    Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken);
}

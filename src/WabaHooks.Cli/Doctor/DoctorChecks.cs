using WabaHooks.Cli.Doctor.Checks;

namespace WabaHooks.Cli.Doctor;

/// <summary>Every check <c>wabahooks doctor</c> runs, in the order the report lists them.</summary>
internal static class DoctorChecks
{
    public static IReadOnlyList<IDoctorCheck> All() =>
    [
        new ConfigurationCheck(),
        new AppSecretCheck(),
        new StoreCheck(),
        new DiskSpaceCheck(),
        new CallbackHandshakeCheck(),
        new TlsCertificateCheck(),
        new AppSubscriptionCheck(),
        new WabaSubscriptionCheck(),
        new PhoneNumberOverrideCheck(),
        new DestinationsCheck(),
        new ClockSkewCheck(),
    ];
}

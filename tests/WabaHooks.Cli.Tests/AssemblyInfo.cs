// The CLI tests drive real processes with POSIX signals and file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

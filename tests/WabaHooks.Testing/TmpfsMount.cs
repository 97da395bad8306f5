using System.Diagnostics;

namespace WabaHooks.Testing;

/// <summary>
/// A small tmpfs mounted on a fresh folder: a real filesystem that fills up, for disk-full tests. Needs root (CI runs
/// the tests as root in a container that allows mount); elsewhere <see cref="TryMount"/> says why it cannot, and
/// <see cref="MountOrSkip"/> skips the test with that reason, or fails it under CI. Unmounted and removed on dispose.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path, int sizeMiB)
    {
        Path = path;
        SizeMiB = sizeMiB;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>The filesystem's size.</summary>
    public int SizeMiB { get; }

    /// <summary>Free bytes on the filesystem now (what an unprivileged writer may use).</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>A path inside the mount.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// Mounts a tmpfs of <paramref name="sizeMiB"/> MiB; where that is not possible, skips the test with the reason, or
    /// fails it under CI (<see cref="TestEnvironment.Require(bool, string)"/>).
    /// </summary>
    public static TmpfsMount MountOrSkip(int sizeMiB)
    {
        var mount = TryMount(sizeMiB, out var reason);
        TestEnvironment.Require(mount is not null, reason);
        return mount;
    }

    /// <summary>Mounts a tmpfs of <paramref name="sizeMiB"/> MiB, or returns null and the reason it cannot.</summary>
    public static TmpfsMount? TryMount(int sizeMiB, out string reason)
    {
        reason = "";
        if (!OperatingSystem.IsLinux())
        {
            reason = "tmpfs disk-full tests need Linux.";
            return null;
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wabahooks-tmpfs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", FormattableString.Invariant($"size={sizeMiB}m"), "tmpfs", path);
        if (code != 0)
        {
            TryDelete(path);
            reason = $"cannot mount a tmpfs (needs root and a container that allows mount): mount exited {code}: {output.Trim()}";
            return null;
        }

        return new TmpfsMount(path, sizeMiB);
    }

    /// <summary>
    /// Writes a file of zeros until the filesystem has about <paramref name="leaveFreeBytes"/> free (0: completely full).
    /// </summary>
    /// <returns>The bytes written.</returns>
    public long Fill(string fileName, long leaveFreeBytes)
    {
        var chunk = new byte[64 * 1024];
        long written = 0;
        using var file = new FileStream(Combine(fileName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        try
        {
            while (true)
            {
                var room = FreeBytes - leaveFreeBytes;
                if (room <= 0)
                {
                    break;
                }

                var count = (int)Math.Min(chunk.Length, room);
                file.Write(chunk, 0, count);
                written += count;
            }
        }
        catch (IOException)
        {
            // No space left: exactly what was asked for with 0.
        }

        return written;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Connections pooled by Microsoft.Data.Sqlite keep files open: the caller clears its pools first. A lazy
        // unmount as the fallback, so a test that failed half way never leaves a mount behind.
        if (Run("umount", Path).Code != 0)
        {
            Run("umount", "-l", Path);
        }

        TryDelete(Path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return (-1, $"{program} did not finish within 30 s");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{program} could not be started: {ex.Message}");
        }
    }
}

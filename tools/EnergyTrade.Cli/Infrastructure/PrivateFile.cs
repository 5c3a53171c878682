using System.Text;

namespace EnergyTrade.Cli.Infrastructure;

/// <summary>
/// Files only their owner may read (the config file, cached tokens): created with mode 0600 from the start,
/// in a temporary file beside the target that is then renamed over it, so a reader sees the old file or the new
/// one, never half of one, and a token is never readable by others even for a moment.
/// </summary>
public static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(100);

    public static void WriteAllText(string path, string contents)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsureDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = Create(temporary))
            {
                stream.Write(Encoding.UTF8.GetBytes(contents));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Creates <paramref name="path"/> (and missing parents) as mode 0700; an existing directory is left as it is.</summary>
    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, OwnerOnlyDirectory);
    }

    /// <summary>
    /// Holds <paramref name="path"/> open exclusively, waiting up to <paramref name="patience"/> for another process
    /// to let go, so two commands do not renew the same sign-in at once (a refresh token is used only once). Past
    /// that, a <see cref="FileBusyException"/> with <paramref name="busy"/>, which says who holds it and what to do.
    /// The file stays when it is let go: deleting it under a process that holds or waits for it would let a third take a lock of its own.
    /// </summary>
    public static async Task<IDisposable> LockAsync(string path, TimeSpan patience, TimeProvider clock, string busy, CancellationToken cancellationToken)
    {
        EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = clock.GetUtcNow() + patience;
        while (true)
        {
            try
            {
                return Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
            }
            catch (IOException) when (clock.GetUtcNow() < deadline)
            {
                await Task.Delay(LockRetry, clock, cancellationToken);
            }
            catch (IOException e)
            {
                throw new FileBusyException(busy + ".", e);
            }
        }
    }

    private static FileStream Create(string path) => Open(path, FileMode.CreateNew, FileAccess.Write);

    private static FileStream Open(string path, FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return new FileStream(path, options);
    }
}

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>A directory of the test's own (a configuration directory, a secret file), deleted with everything in it.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("energytrade-cli-test-").FullName;

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file of the test's own, owner-only like a secret should be.</summary>
    public string Write(string name, string contents)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, contents);
        if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

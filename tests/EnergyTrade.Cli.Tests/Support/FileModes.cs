namespace EnergyTrade.Cli.Tests.Support;

/// <summary>Asserts Unix permissions (on Windows, where files have none of these bits, the checks pass).</summary>
public static class FileModes
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void AssertOwnerOnly(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
    }

    public static void AssertOwnerOnlyDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
    }
}

namespace EnergyTrade.UnitTests;

/// <summary>The repository the tests run from, for tests that read its files (docs, compose files, scripts).</summary>
internal static class Repository
{
    private static readonly Lazy<string> Found = new(FindRoot);

    /// <summary>The directory holding EnergyTrade.sln (or EnergyTrade.slnx), the first one above the test assembly.</summary>
    public static string Root => Found.Value;

    /// <summary>A repository path written with forward slashes (as docs and compose files name them), made absolute.</summary>
    public static string PathOf(string relative) =>
        Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnergyTrade.sln")) || File.Exists(Path.Combine(dir.FullName, "EnergyTrade.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No EnergyTrade.sln above {AppContext.BaseDirectory}.");
    }
}

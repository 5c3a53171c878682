using System.Text.Json;

namespace EnergyTrade.Cli.Import;

/// <summary>
/// How far an import of a file has got, kept beside it so an import stopped by Ctrl-C, a service that
/// stayed down or a crash resumes after the last settled line instead of sending everything again.
/// Bound to the file's length and last write time: an edited file is imported from its start, which
/// request_ids make safe, only slower. Removed once the file is wholly settled.
/// </summary>
public sealed record ImportCheckpoint(long Length, DateTime LastWriteUtc, int SettledThroughLine, ImportTally Tally)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathFor(string importedFile) => importedFile + ".import-state";

    /// <summary>The checkpoint of this very file, or null when there is none or the file changed since.</summary>
    public static ImportCheckpoint? Load(string importedFile)
    {
        var path = PathFor(importedFile);
        if (!File.Exists(path)) return null;
        try
        {
            var checkpoint = JsonSerializer.Deserialize<ImportCheckpoint>(File.ReadAllText(path), Json);
            var info = new FileInfo(importedFile);
            return checkpoint is not null && checkpoint.Length == info.Length && checkpoint.LastWriteUtc == info.LastWriteTimeUtc ? checkpoint : null;
        }
        catch (JsonException)
        {
            // A checkpoint torn by a crash mid-write cannot exist (it is moved into place whole); anything else unreadable is ignored.
            return null;
        }
    }

    public static ImportCheckpoint For(string importedFile, int settledThroughLine, ImportTally tally)
    {
        var info = new FileInfo(importedFile);
        return new ImportCheckpoint(info.Length, info.LastWriteTimeUtc, settledThroughLine, tally);
    }

    /// <summary>Written beside and moved into place, so a crash leaves the old checkpoint or the new one, never half of one.</summary>
    public void Save(string importedFile)
    {
        var path = PathFor(importedFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static void Delete(string importedFile) => File.Delete(PathFor(importedFile));
}

using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;

namespace EnergyTrade.Cli.Import;

/// <summary>
/// Saves an import's checkpoint as its rows settle (once a second: a crash costs at most that much
/// sending again), removes it when the file is wholly settled, and keeps it when the import stops early.
/// A folder that cannot be written costs only the resuming: the import goes on, and says so once.
/// </summary>
public sealed class Checkpoints(CliEnvironment environment, string file, ImportErrorsFile errors, bool enabled)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private DateTimeOffset _lastSave = environment.Clock.GetUtcNow();
    private bool _failed;

    public void Settled(int line, ImportTally tally)
    {
        if (environment.Clock.GetUtcNow() - _lastSave < Interval) return;
        Save(line, tally);
        _lastSave = environment.Clock.GetUtcNow();
    }

    public void Ended(ImportRun run)
    {
        if (!enabled || _failed) return;
        if (run.Finished) ImportCheckpoint.Delete(file);
        else Save(run.SettledThroughLine, run.Tally);
    }

    /// <summary>The errors file first, so a checkpoint never claims a rejection the file does not hold yet.</summary>
    private void Save(int line, ImportTally tally)
    {
        if (!enabled || _failed) return;
        try
        {
            errors.Flush();
            ImportCheckpoint.For(file, line, tally).Save(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failed = true;
            ErrorView.Warn(environment.Error,
                $"Cannot save the import's progress to {ImportCheckpoint.PathFor(file)} ({e.Message}). The import goes on; run again, it would start from the first line (safely: rows already recorded are not recorded twice).");
        }
    }
}

using EnergyTrade.Cli.Grpc;

namespace EnergyTrade.Cli.Import;

/// <summary>The end of an import: the whole file's counts (earlier runs' too, when resumed), the first rejected rows, and why it stopped early, if it did.</summary>
public sealed record ImportReport(string File, ImportTally Tally, TimeSpan Elapsed)
{
    /// <summary>The rejected rows a report shows; the errors file holds them all.</summary>
    public const int RejectionsShown = 20;

    /// <summary>Checked on the service (validate_only), nothing recorded.</summary>
    public bool DryRun { get; init; }
    /// <summary>Lines up to this one were settled by an earlier run and not sent again.</summary>
    public int? ResumedAfterLine { get; init; }
    /// <summary>Stopped by Ctrl-C: lines up to this one are settled, the rest were not sent.</summary>
    public int? InterruptedAfterLine { get; init; }
    /// <summary>Rows sent without an answer, plus the rest of the file, when a failure stopped the import.</summary>
    public long NotAttempted { get; init; }
    public FormattedError? StoppedBy { get; init; }
    /// <summary>Where every rejected row is listed, when any was.</summary>
    public string? ErrorsFile { get; init; }
    public IReadOnlyList<RowOutcome> Rejections { get; init; } = [];

    /// <summary>Whether everything in the file is now recorded.</summary>
    public bool Complete => Tally.Rejected == 0 && NotAttempted == 0 && StoppedBy is null && InterruptedAfterLine is null;
}

using EnergyTrade.Cli.Grpc;

namespace EnergyTrade.Cli.Import;

/// <summary>The outcome of an import: every row, in file order, and the failure that stopped it early, if any.</summary>
public sealed record ImportReport(string File, IReadOnlyList<RowOutcome> Rows, TimeSpan Elapsed, FormattedError? StoppedBy = null)
{
    /// <summary>Only checked, nothing sent: the rows that would have been sent are <see cref="RowResult.NotAttempted"/>.</summary>
    public bool DryRun { get; init; }

    public int Created => Count(RowResult.Created);
    public int AlreadyPresent => Count(RowResult.AlreadyPresent);
    public int Rejected => Count(RowResult.Rejected);
    public int NotAttempted => Count(RowResult.NotAttempted);

    /// <summary>Whether everything in the file is now recorded.</summary>
    public bool Complete => Rejected == 0 && NotAttempted == 0 && StoppedBy is null;

    private int Count(RowResult result) => Rows.Count(r => r.Result == result);
}

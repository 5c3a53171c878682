namespace EnergyTrade.Cli.Import;

/// <summary>How many rows of a file have been settled, and how: what an import reports and its checkpoint keeps.</summary>
public sealed record ImportTally
{
    /// <summary>Recorded by this import (or, resumed, by the run it resumes).</summary>
    public long Created { get; init; }
    /// <summary>Their request_id already held the same shipment: recorded before, not again.</summary>
    public long AlreadyPresent { get; init; }
    /// <summary>Dry run: would be recorded.</summary>
    public long Valid { get; init; }
    /// <summary>Not recorded: the CSV could not be read or the service refused the row.</summary>
    public long Rejected { get; init; }

    public long Rows => Created + AlreadyPresent + Valid + Rejected;
}

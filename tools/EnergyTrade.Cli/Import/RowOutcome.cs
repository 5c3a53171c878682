using EnergyTrade.Cli.Input;

namespace EnergyTrade.Cli.Import;

public enum RowResult
{
    /// <summary>This run recorded the shipment.</summary>
    Created,
    /// <summary>The request_id had been used before: the service returned the shipment recorded then.</summary>
    AlreadyPresent,
    /// <summary>The row did not parse, or the service refused it.</summary>
    Rejected,
    /// <summary>The import stopped (service unreachable, no permission) before this row was sent.</summary>
    NotAttempted,
}

/// <summary>What became of one CSV row.</summary>
public sealed record RowOutcome(int Line, string? RequestId, RowResult Result, IReadOnlyList<FieldProblem> Problems, string? ShipmentName = null)
{
    public static RowOutcome Rejected(int line, string? requestId, IReadOnlyList<FieldProblem> problems) => new(line, requestId, RowResult.Rejected, problems);
}

using EnergyTrade.Cli.Input;

namespace EnergyTrade.Cli.Import;

/// <summary>A row that was not recorded, and why: the CSV could not be read, or the service refused it.</summary>
public sealed record RowOutcome(int Line, string? RequestId, IReadOnlyList<FieldProblem> Problems);

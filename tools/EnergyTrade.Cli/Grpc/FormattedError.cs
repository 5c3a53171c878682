namespace EnergyTrade.Cli.Grpc;

/// <summary>An error as a person reads it: one sentence, then one line per detail (e.g. each field violation).</summary>
public sealed record FormattedError(string Summary, IReadOnlyList<string> Details)
{
    public override string ToString() =>
        Details.Count == 0 ? Summary : Summary + Environment.NewLine + string.Join(Environment.NewLine, Details.Select(d => "  - " + d));
}

namespace EnergyTrade.Cli.Input;

/// <summary>What is wrong with one field (a CSV column or a request field); an empty field means the whole row.</summary>
public sealed record FieldProblem(string Field, string Description)
{
    public override string ToString() => Field.Length == 0 ? Description : $"{Field}: {Description}";
}

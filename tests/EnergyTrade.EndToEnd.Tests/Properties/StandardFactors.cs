using System.Text.Json;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// The factor a quantity without one is converted at, restated from the outside (docs/grades.md): the
/// catalogue file's API gravity through the documented formula, for a grade whose name or alias matches
/// once trimmed, its white space collapsed and its case ignored; 7.33 for any other grade.
/// </summary>
public static class StandardFactors
{
    private static readonly Dictionary<string, decimal> ByKey = Load();

    public static decimal For(string grade) => ByKey.GetValueOrDefault(Key(grade), Oracle.DefaultBarrelsPerTonne);

    private static string Key(string name) => Oracle.Canonical(name).ToLowerInvariant();

    private static Dictionary<string, decimal> Load()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "grades.json")));
        var factors = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var grade in file.RootElement.GetProperty("grades").EnumerateArray())
        {
            // SG = 141.5 / (API + 131.5); bbl/t = 1 / (SG × 0.999016 t/m³ × 0.158987294928 m³), half-even to 2 places.
            var api = grade.GetProperty("api_gravity").GetDecimal();
            var factor = Math.Round(1m / (141.5m / (api + 131.5m) * 0.999016m * 0.158987294928m), 2, MidpointRounding.ToEven);
            var names = grade.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).Prepend(grade.GetProperty("name").GetString()!);
            foreach (var name in names) factors.Add(Key(name), factor);
        }
        return factors;
    }
}

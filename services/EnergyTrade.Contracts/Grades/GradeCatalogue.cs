using System.Collections.Frozen;
using System.Text.Json;

namespace EnergyTrade.Contracts.Grades;

/// <summary>
/// The reference catalogue of crude grades (Reference/grades.json, compiled into this assembly):
/// what ListGrades serves, and where CreateShipment finds the standard barrels per tonne of a
/// grade whose quantity gives none. A grade is found by its name or any alias under
/// <see cref="Names.Key"/>. Every entry is checked when the catalogue is loaded, so a
/// bad edit fails the first test that touches it rather than a shipment.
/// </summary>
public sealed class GradeCatalogue
{
    private const string ResourceName = "EnergyTrade.Contracts.Reference.grades.json";

    private static readonly JsonSerializerOptions FileFormat = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A misspelt field would otherwise read as a missing one.
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<GradeCatalogue> Embedded = new(LoadEmbedded);

    private readonly FrozenDictionary<string, CrudeGrade> _byKey;

    private GradeCatalogue(int version, IReadOnlyList<CrudeGrade> grades)
    {
        Version = version;
        Grades = grades;
        _byKey = grades.SelectMany(g => g.AllNames.Select(name => (Key: Names.Key(name), Grade: g)))
            .ToFrozenDictionary(e => e.Key, e => e.Grade, StringComparer.Ordinal);
    }

    /// <summary>The catalogue this build carries.</summary>
    public static GradeCatalogue Standard => Embedded.Value;

    /// <summary>Raised by hand whenever an entry changes, so a reader can tell which figures a reply came from.</summary>
    public int Version { get; }

    /// <summary>Every grade, ordered by <see cref="Names.Key"/> of its name (ordinal).</summary>
    public IReadOnlyList<CrudeGrade> Grades { get; }

    public CrudeGrade? Find(string name) => _byKey.GetValueOrDefault(Names.Key(name));

    /// <summary>
    /// The factor a quantity of this grade is converted with when it gives none: the grade's standard
    /// factor, or for a grade the catalogue does not know the world-average <see cref="Limits.DefaultBarrelsPerTonne"/>.
    /// </summary>
    public decimal StandardFactor(string grade) => Find(grade)?.BarrelsPerTonne ?? Limits.DefaultBarrelsPerTonne;

    /// <summary>Reads and checks a catalogue; every problem found is listed in the one exception.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed or an entry breaks a rule.</exception>
    public static GradeCatalogue Parse(string json)
    {
        CatalogueFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogueFile>(json, FileFormat);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The grade catalogue is not valid: {ex.Message}", ex);
        }
        var problems = new List<string>();
        if (file is null || file.Version < 1) problems.Add("version must be a whole number from 1.");
        if (file?.Grades is not { Count: > 0 }) problems.Add("grades must list at least one grade.");

        var grades = new List<CrudeGrade>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (entry, index) in (file?.Grades ?? []).Select((e, i) => (e, i)))
        {
            if (entry is null)
            {
                problems.Add($"grades[{index}] is null.");
                continue;
            }
            var where = $"grades[{index}] ({entry.Name ?? "no name"})";
            var entryProblems = entry.Problems();
            problems.AddRange(entryProblems.Select(p => $"{where}: {p}"));
            foreach (var name in entry.AllNames.OfType<string>().Where(n => n.Trim().Length > 0))
            {
                var key = Names.Key(name);
                if (owners.TryGetValue(key, out var owner)) problems.Add($"{where}: '{name}' is already a name of {owner}.");
                else owners[key] = entry.Name ?? "";
            }
            if (entryProblems.Count == 0)
            {
                grades.Add(new CrudeGrade(entry.Name!, entry.Aliases ?? [], entry.TypicalOriginCountry!, entry.ApiGravity!.Value, entry.Source!));
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"The grade catalogue has {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }
        var ordered = grades.OrderBy(g => Names.Key(g.Name), StringComparer.Ordinal).ToList();
        return new GradeCatalogue(file!.Version, ordered);
    }

    private static GradeCatalogue LoadEmbedded()
    {
        using var stream = typeof(GradeCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(GradeCatalogue).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>The file as written; <c>about</c> is for people reading the file.</summary>
    private sealed record CatalogueFile(int Version, string? About, List<GradeEntry?>? Grades);
}

namespace EnergyTrade.Contracts.Grades;

/// <summary>One grade as Reference/grades.json writes it, before it is checked: any field may be missing.</summary>
internal sealed record GradeEntry(string? Name, List<string>? Aliases, string? TypicalOriginCountry, decimal? ApiGravity, string? Source)
{
    public IEnumerable<string?> AllNames => (Aliases ?? []).Prepend(Name);

    /// <summary>What keeps this entry out of the catalogue; names that clash with other entries are the catalogue's to find.</summary>
    public List<string> Problems()
    {
        var found = new List<string>();
        foreach (var name in AllNames)
        {
            // A catalogue name must be one a shipment's grade could hold, written as it would be stored.
            if (ShipmentRules.Text(SnapshotField.Grade, name, required: true) is { } problem) found.Add($"name or alias '{name}' {problem.Description}");
            else if (name != Names.Canonical(name!)) found.Add($"'{name}' must be written trimmed, with single spaces.");
        }
        if (!CountryCodes.IsAssigned(TypicalOriginCountry)) found.Add($"typical_origin_country '{TypicalOriginCountry}' is not an officially assigned ISO 3166-1 alpha-2 code.");
        if (string.IsNullOrWhiteSpace(Source)) found.Add("source is required: the public assay or agency figure the API gravity comes from.");
        if (ApiGravity is not { } api)
        {
            found.Add("api_gravity is required.");
        }
        else if (api <= -131.5m)
        {
            found.Add($"api_gravity {api} is not a gravity a liquid can have.");
        }
        else if (ShipmentRules.BarrelsPerTonne(ApiGravityFactor.BarrelsPerTonne(api)) is { } problem)
        {
            found.Add($"api_gravity {api} gives {ApiGravityFactor.BarrelsPerTonne(api)} bbl/t, which a shipment could not use: it {problem.Description}");
        }
        return found;
    }
}

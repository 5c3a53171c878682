using Microsoft.EntityFrameworkCore;

namespace EnergyTrade.Persistence;

public static class ModelConventions
{
    /// <summary>
    /// Every property whose name ends in "Country" holds an ISO 3166-1 alpha-2 code and is stored as
    /// character(2) — the type the raw SQL's parameters are declared with too, so PostgreSQL compares
    /// like with like and uses the indexes. Call after the entities are declared.
    /// </summary>
    public static ModelBuilder StoreCountryCodesAsTwoCharacters(this ModelBuilder model)
    {
        foreach (var property in model.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.Name.EndsWith("Country", StringComparison.Ordinal)))
        {
            property.SetMaxLength(2);
            property.SetIsFixedLength(true);
        }
        return model;
    }
}

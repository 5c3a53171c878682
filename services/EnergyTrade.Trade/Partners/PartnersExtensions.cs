namespace EnergyTrade.Trade.Partners;

public static class PartnersExtensions
{
    /// <summary>Registers <see cref="PartnerGroups"/> as a singleton, loaded from the embedded file and configuration.</summary>
    /// <exception cref="InvalidPartnerGroupsException">A group is wrong.</exception>
    public static IServiceCollection AddPartnerGroups(this IServiceCollection services, IConfiguration configuration)
    {
        // Loaded here, not on first use, so that a wrong group stops the service at startup naming the entry, rather than
        // failing its first query. Read once: a changed group takes a restart, and no query sees two versions of a group.
        services.AddSingleton(PartnerGroups.Load(configuration));
        return services;
    }
}

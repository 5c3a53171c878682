using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EnergyTrade.Identity.Data;

/// <summary>
/// The model dotnet ef builds migrations from. Without it, dotnet ef would start the provider, which refuses
/// to start without its clients' secrets; the naming convention is the one AddPostgres applies at run time.
/// </summary>
internal sealed class DesignTimeIdentityDbContextFactory : IDesignTimeDbContextFactory<IdentityDbContext>
{
    public IdentityDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<IdentityDbContext>()
        .UseNpgsql("Host=localhost;Database=energytrade_identity")
        .UseSnakeCaseNamingConvention()
        .Options);
}

using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace EnergyTrade.Identity.Data;

/// <summary>OpenIddict's stores: clients (applications), scopes, authorizations and the tokens it issued.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        model.UseOpenIddict();
        // OpenIddict names its tables itself (OpenIddictApplications, …), which the snake_case convention leaves as
        // they are; renamed here like every other table of the services.
        model.Entity<OpenIddictEntityFrameworkCoreApplication>().ToTable("openiddict_applications");
        model.Entity<OpenIddictEntityFrameworkCoreAuthorization>().ToTable("openiddict_authorizations");
        model.Entity<OpenIddictEntityFrameworkCoreScope>().ToTable("openiddict_scopes");
        model.Entity<OpenIddictEntityFrameworkCoreToken>().ToTable("openiddict_tokens");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace EnergyTrade.Persistence;

public static class PostgresExtensions
{
    /// <summary>
    /// The service's one PostgreSQL pool (<see cref="PostgresDataSource"/>), shared by EF and the
    /// set-based SQL, and a pooled <typeparamref name="TContext"/> on it. Tables, columns, keys and
    /// indexes take snake_case names from the model by convention, so a property is named once.
    /// </summary>
    public static IHostApplicationBuilder AddPostgres<TContext>(this IHostApplicationBuilder builder, string connectionStringName)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionStringName} is not set (an Npgsql connection string such as Host=localhost;Database=energytrade;Username=…;Password=…).");
        builder.Services.AddSingleton(_ => PostgresDataSource.Create(connectionString));
        builder.Services.AddDbContextPool<TContext>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseSnakeCaseNamingConvention());
        return builder;
    }
}

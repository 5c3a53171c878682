using EnergyTrade.Persistence;
using Npgsql;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class PostgresDataSourceTests
{
    private static NpgsqlConnectionStringBuilder Effective(string connectionString)
    {
        using var source = PostgresDataSource.Create(connectionString);
        return new NpgsqlConnectionStringBuilder(source.ConnectionString);
    }

    [Fact]
    public void Several_hosts_are_a_replicated_cluster_whose_primary_alone_takes_the_statements()
    {
        var effective = Effective("Host=127.0.0.1:55432,127.0.0.1:55442;Database=energytrade_shipments;Username=u;Password=p");

        Assert.Equal("read-write", effective.TargetSessionAttributes);
        Assert.Equal(1, effective.HostRecheckSeconds);
    }

    [Theory]
    [InlineData("Target Session Attributes=primary;Host Recheck Seconds=5")]
    [InlineData("TargetSessionAttributes=primary;HostRecheckSeconds=5")]
    public void What_a_multi_host_string_says_itself_is_kept(string settings)
    {
        var effective = Effective($"Host=a:5432,b:5432;Database=d;{settings}");

        Assert.Equal("primary", effective.TargetSessionAttributes);
        Assert.Equal(5, effective.HostRecheckSeconds);
    }

    [Fact]
    public void One_host_is_left_as_it_is()
    {
        var effective = Effective("Host=localhost;Port=55432;Database=d");

        Assert.Null(effective.TargetSessionAttributes);
        Assert.Equal(10, effective.HostRecheckSeconds);
    }
}

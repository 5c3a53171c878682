using System.Net.Sockets;
using EnergyTrade.ServiceDefaults;
using Npgsql;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class ErrorMappingInterceptorTests
{
    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    public static TheoryData<string, Exception> Transient => new()
    {
        { "socket", new SocketException((int)SocketError.ConnectionRefused) },
        { "timeout", new TimeoutException() },
        { "npgsql over a socket", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)) },
        { "admin shutdown", Postgres("57P01") },
        { "crash shutdown", Postgres("57P02") },
        { "cannot connect now", Postgres("57P03") },
        { "too many connections", Postgres("53300") },
        { "connection failure", Postgres("08006") },
        { "wrapped socket", new InvalidOperationException("outer", new SocketException((int)SocketError.HostUnreachable)) },
        { "deeply wrapped timeout", new InvalidOperationException("a", new AggregateException("b", new TimeoutException())) },
    };

    public static TheoryData<string, Exception> NotTransient => new()
    {
        { "bug", new InvalidOperationException("bug") },
        { "null", new NullReferenceException() },
        { "unique violation", Postgres("23505") },
        { "syntax error", Postgres("42601") },
        { "plain npgsql", new NpgsqlException("bad") },
        { "cancelled", new OperationCanceledException() },
        { "wrapped bug", new InvalidOperationException("outer", new ArgumentException("inner")) },
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void Lost_or_refused_connections_are_transient(string what, Exception ex)
    {
        Assert.True(ErrorMappingInterceptor.IsTransient(ex), what);
    }

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void Bugs_and_data_errors_are_not_transient(string what, Exception ex)
    {
        Assert.False(ErrorMappingInterceptor.IsTransient(ex), what);
    }
}

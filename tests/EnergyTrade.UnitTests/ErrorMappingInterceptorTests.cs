using EnergyTrade.Persistence;
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
        { "a write that reached a standby", Postgres("25006") },
        { "no host is the primary during a failover", new NpgsqlException("No suitable host was found.") },
        { "no host of several reachable", new NpgsqlException("Unable to connect to a suitable host. Check inner exception for more details.",
            new AggregateException(new SocketException((int)SocketError.ConnectionRefused), new NpgsqlException("Exception while reading from stream", new TimeoutException()))) },
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
        { "one host down, the other refusing the password", new NpgsqlException("Unable to connect to a suitable host. Check inner exception for more details.",
            new AggregateException(new SocketException((int)SocketError.ConnectionRefused), Postgres("28P01"))) },
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void Lost_or_refused_connections_are_transient(string what, Exception ex)
    {
        Assert.True(TransientFailures.IsTransient(ex), what);
    }

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void Bugs_and_data_errors_are_not_transient(string what, Exception ex)
    {
        Assert.False(TransientFailures.IsTransient(ex), what);
    }
}

[Trait("Category", "Unit")]
public sealed class WriteOutcomeTests
{
    [Fact]
    public async Task A_connection_lost_after_the_write_was_sent_leaves_the_outcome_unknown()
    {
        var lost = new NpgsqlException("Exception while reading from stream", new System.IO.IOException("reset"));

        var ex = await Assert.ThrowsAsync<WriteOutcomeUnknownException>(() => WriteOutcomeUnknownException.Guard(() => throw lost));

        Assert.Same(lost, ex.InnerException);
        Assert.True(TransientFailures.IsTransient(ex));
    }

    [Fact]
    public async Task A_write_the_server_refused_changed_nothing()
    {
        var refused = new PostgresException("duplicate key", "ERROR", "ERROR", "23505");

        Assert.Same(refused, await Assert.ThrowsAsync<PostgresException>(() => WriteOutcomeUnknownException.Guard(() => throw refused)));
    }

    [Fact]
    public void A_sum_beyond_money_is_refused_with_its_own_exception_not_wrapped_round()
    {
        Assert.Equal(long.MaxValue, ProtoConvert.ToProtoMoney(long.MaxValue).Units);
        Assert.Throws<FigureOutOfRangeException>(() => ProtoConvert.ToProtoMoney(10_000_000_000_000_000_000m));
        Assert.Throws<FigureOutOfRangeException>(() => ProtoConvert.ToProtoMoney(-10_000_000_000_000_000_000m));
    }
}

using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(4, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    [Fact]
    public void Unavailable_is_retried_with_growing_delays_up_to_the_attempt_limit()
    {
        var error = Rpc.ConnectionRefused();

        Assert.Equal(TimeSpan.FromMilliseconds(100), Policy.NextDelay(error, 1, jitter: 1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), Policy.NextDelay(error, 2, jitter: 1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), Policy.NextDelay(error, 3, jitter: 0));
        Assert.Null(Policy.NextDelay(error, 4, jitter: 1));
    }

    [Fact]
    public void The_services_retry_delay_is_honoured() =>
        Assert.Equal(TimeSpan.FromSeconds(1), Policy.NextDelay(Rpc.DatabaseUnavailable(), 1, jitter: 1));

    [Fact]
    public void A_rate_limit_with_retry_after_is_retried_but_an_oversized_message_is_not()
    {
        var rateLimited = new RpcException(new Status(StatusCode.ResourceExhausted, "Too many writes"), new Metadata { { "retry-after", "2" } });
        var tooBig = new RpcException(new Status(StatusCode.ResourceExhausted, "Received message larger than max"));

        Assert.Equal(TimeSpan.FromSeconds(2), Policy.NextDelay(rateLimited, 1, jitter: 1));
        Assert.Null(Policy.NextDelay(tooBig, 1, jitter: 1));
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.AlreadyExists)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.Internal)]
    public void Other_failures_are_final(StatusCode code) =>
        Assert.Null(Policy.NextDelay(new RpcException(new Status(code, "")), 1, jitter: 1));
}

using EnergyTrade.Cli.Grpc;
using EnergyTrade.Cli.Tests.Support;
using Grpc.Core;
using Polly;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(4, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Unavailable_is_retried_with_growing_delays_up_to_the_attempt_limit()
    {
        var (calls, waits) = await AlwaysFailing(Rpc.ConnectionRefused(), Policy, jitter: () => 0.5);

        Assert.Equal(Policy.MaxAttempts, calls);
        Assert.Equal(Policy.MaxAttempts - 1, waits.Count);
        Assert.True(waits[0] > TimeSpan.Zero && waits[0] < waits[1] && waits[1] < waits[2], string.Join(", ", waits));
    }

    [Fact]
    public async Task Delays_never_exceed_the_cap_whatever_the_jitter()
    {
        var longer = Policy with { MaxAttempts = 12 };
        Func<double>[] jitters = [() => 0, () => 1, .. Enumerable.Repeat<Func<double>>(Random.Shared.NextDouble, 20)];
        foreach (var jitter in jitters)
        {
            var (calls, waits) = await AlwaysFailing(Rpc.ConnectionRefused(), longer, jitter);
            Assert.Equal(longer.MaxAttempts, calls);
            Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.Zero, longer.MaxDelay));
        }
    }

    [Fact]
    public async Task The_services_retry_delay_is_honoured()
    {
        var (_, waits) = await AlwaysFailing(Rpc.DatabaseUnavailable(), Policy);
        Assert.Equal(TimeSpan.FromSeconds(1), waits[0]);
    }

    [Fact]
    public async Task A_rate_limit_with_retry_after_is_retried_but_an_oversized_message_is_not()
    {
        var rateLimited = new RpcException(new Status(StatusCode.ResourceExhausted, "Too many writes"), new Metadata { { "retry-after", "2" } });
        var tooBig = new RpcException(new Status(StatusCode.ResourceExhausted, "Received message larger than max"));

        // Longer than MaxDelay: the server's word beats the cap on our own backoff.
        Assert.Equal(TimeSpan.FromSeconds(2), (await AlwaysFailing(rateLimited, Policy)).Waits[0]);
        AssertFinal(await AlwaysFailing(tooBig, Policy));
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.AlreadyExists)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.Internal)]
    public async Task Other_failures_are_final(StatusCode code) =>
        AssertFinal(await AlwaysFailing(new RpcException(new Status(code, "")), Policy));

    /// <summary>Called once, no wait: the failure went straight to the caller.</summary>
    private static void AssertFinal((int Calls, List<TimeSpan> Waits) run)
    {
        Assert.Equal(1, run.Calls);
        Assert.Empty(run.Waits);
    }

    /// <summary>
    /// Runs <paramref name="policy"/>'s retries around a call that always fails with <paramref name="error"/>:
    /// how often it was called, and the waits between, taken on a clock that records them instead of sleeping.
    /// </summary>
    private static async Task<(int Calls, List<TimeSpan> Waits)> AlwaysFailing(RpcException error, RetryPolicy policy, Func<double>? jitter = null)
    {
        var waits = new List<TimeSpan>();
        var options = policy.Options();
        if (jitter is not null) options.Randomizer = jitter;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = new InstantWaits(TimeProvider.System, waits) }.AddRetry(options).Build();
        var calls = 0;

        var thrown = await Assert.ThrowsAsync<RpcException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            calls++;
            return ValueTask.FromException(error);
        }));

        Assert.Same(error, thrown);
        return (calls, waits);
    }
}

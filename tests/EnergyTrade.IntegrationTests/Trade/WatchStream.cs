using System.Threading.Channels;
using EnergyTrade.Trade.V1;
using Grpc.Core;

namespace EnergyTrade.IntegrationTests.Trade;

/// <summary>
/// Reads a WatchBilateralTotals stream in the background, so a test can wait for the next message
/// with a timeout — or assert that none comes — without cancelling the call.
/// </summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly AsyncServerStreamingCall<BilateralTotals> _call;
    private readonly Channel<BilateralTotals> _received = Channel.CreateUnbounded<BilateralTotals>();
    private readonly Task _pump;

    public WatchStream(TradeService.TradeServiceClient client, GetBilateralTotalsRequest request)
    {
        _call = client.WatchBilateralTotals(request);
        _pump = PumpAsync();
    }

    /// <summary>Completes with the call's final status once the server ends the stream.</summary>
    public async Task<Status> EndAsync(TimeSpan timeout)
    {
        await _pump.WaitAsync(timeout);
        return _call.GetStatus();
    }

    public async Task<BilateralTotals> NextAsync(TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No watch message within {timeout.TotalSeconds:F0}s: expected {what}.");
        }
        catch (ChannelClosedException ex)
        {
            throw new InvalidOperationException($"The watch stream ended while waiting for {what}.", ex.InnerException ?? ex);
        }
    }

    /// <summary>Reads messages until one satisfies the condition.</summary>
    public async Task<BilateralTotals> NextMatchingAsync(Func<BilateralTotals, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), what);
            if (condition(message)) return message;
        }
    }

    public async Task AssertNothingWithinAsync(TimeSpan quiet, string why)
    {
        using var cts = new CancellationTokenSource(quiet);
        try
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            Assert.Fail($"Expected no watch message ({why}), got {message}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync()) await _received.Writer.WriteAsync(message);
            _received.Writer.Complete();
        }
        catch (Exception ex)
        {
            _received.Writer.Complete(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
    }
}

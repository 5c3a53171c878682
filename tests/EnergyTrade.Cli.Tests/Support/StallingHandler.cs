namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// Passes requests on to a provider, except those to paths it is told to stall: those it holds, answering nothing,
/// until the client gives up (its timeout) — a provider that hangs, or a network that drops packets.
/// </summary>
public sealed class StallingHandler(HttpMessageHandler inner, Func<string, bool> stalls) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (stalls(request.RequestUri!.AbsolutePath)) await Task.Delay(Timeout.Infinite, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        // The provider belongs to the test.
    }
}

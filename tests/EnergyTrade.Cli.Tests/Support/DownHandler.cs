using System.Net.Sockets;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>A provider that is not running: every connection is refused.</summary>
public sealed class DownHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new HttpRequestException($"Connection refused ({request.RequestUri!.Authority})", new SocketException((int)SocketError.ConnectionRefused));
}

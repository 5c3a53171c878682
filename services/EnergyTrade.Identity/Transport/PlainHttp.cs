using System.Net;

namespace EnergyTrade.Identity.Transport;

/// <summary>
/// OpenIddict refuses the protocol over http, since secrets and tokens would cross the network in clear.
/// Identity:AllowHttp lifts that for loopback development, and only there.
/// </summary>
public static partial class PlainHttp
{
    /// <summary>Why plain http cannot be allowed with these endpoints, naming the first one beyond loopback; null when it can.</summary>
    public static string? Problem(IConfiguration configuration)
    {
        foreach (var (setting, url) in ListeningAddresses(configuration).Where(a => !IsLoopback(a.Url)))
        {
            return $"{IdentityOptions.Section}:AllowHttp is set, but {setting} ('{url}') listens beyond loopback. " +
                "Plain http is for a provider only this machine reaches: serve https there, or bind it to 127.0.0.1/localhost.";
        }
        return null;
    }

    /// <summary>
    /// Where Kestrel will listen: its configured endpoints when there are any (they replace the rest), else
    /// urls (ASPNETCORE_URLS), else ASPNETCORE_HTTP_PORTS/HTTPS_PORTS (every interface), else localhost:5000.
    /// </summary>
    private static IEnumerable<(string Setting, string Url)> ListeningAddresses(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => (Setting: $"Kestrel:Endpoints:{e.Key}:Url", Url: e["Url"] ?? ""))
            .ToList();
        if (endpoints.Count > 0) return endpoints;
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => ("urls", u));
        }
        return new[] { "http_ports", "https_ports" }
            .Where(setting => !string.IsNullOrEmpty(configuration[setting]))
            .Select(setting => (setting, $"http://*:{configuration[setting]}"));
    }

    private static bool IsLoopback(string url)
    {
        // "http://*:80" and "http://+:80" are not URIs System.Uri accepts; they bind every interface anyway.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    [LoggerMessage(LogLevel.Warning, "Identity:AllowHttp is set: the protocol is served over plain http, on loopback only")]
    public static partial void LogAllowed(ILogger logger);
}

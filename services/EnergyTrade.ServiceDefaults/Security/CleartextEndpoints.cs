using Microsoft.Extensions.Configuration;

namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>
/// The addresses Kestrel will listen on without TLS, read from configuration the way Kestrel reads it:
/// Kestrel:Endpoints when any are configured (urls is then ignored, unless preferHostingUrls says
/// otherwise); else urls (ASPNETCORE_URLS); else http_ports (ASPNETCORE_HTTP_PORTS); else Kestrel's
/// own default, http://localhost:5000.
/// </summary>
public static class CleartextEndpoints
{
    /// <summary>Each cleartext address as "configuration key = value", in configuration order.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        var found = new List<string>();
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => (Key: e.Path + ":Url", Url: e["Url"]))
            .Where(e => !string.IsNullOrWhiteSpace(e.Url))
            .ToList();
        found.AddRange(endpoints.Where(e => IsCleartext(e.Url!)).Select(e => $"{e.Key} = {e.Url}"));

        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // With preferHostingUrls Kestrel may serve urls instead of the endpoints: both sets must be safe.
        if (endpoints.Count == 0 || configuration.GetValue("preferHostingUrls", false))
        {
            found.AddRange(urls.Where(IsCleartext).Select(u => $"urls = {u}"));
        }
        if (endpoints.Count == 0 && urls.Length == 0)
        {
            var httpPorts = configuration["http_ports"];
            if (!string.IsNullOrWhiteSpace(httpPorts)) found.Add($"http_ports = {httpPorts}");
            else if (string.IsNullOrWhiteSpace(configuration["https_ports"])) found.Add("Kestrel's default address = http://localhost:5000");
        }
        return found;
    }

    private static bool IsCleartext(string url) => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}

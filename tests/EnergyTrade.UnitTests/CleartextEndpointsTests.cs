using EnergyTrade.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class CleartextEndpointsTests
{
    private static IReadOnlyList<string> Find(params (string Key, string Value)[] settings) =>
        CleartextEndpoints.Find(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Every_endpoint_on_https_leaves_nothing_in_cleartext()
    {
        Assert.Empty(Find(("Kestrel:Endpoints:Grpc:Url", "https://+:5101"), ("Kestrel:Endpoints:Http:Url", "HTTPS://localhost:5100")));
    }

    [Fact]
    public void An_http_endpoint_beside_an_https_one_is_named_with_its_key_and_url()
    {
        Assert.Equal(["Kestrel:Endpoints:Http:Url = http://localhost:5100"],
            Find(("Kestrel:Endpoints:Grpc:Url", "https://localhost:5101"), ("Kestrel:Endpoints:Http:Url", "http://localhost:5100")));
    }

    [Fact]
    public void Urls_are_ignored_while_endpoints_are_configured_as_Kestrel_ignores_them()
    {
        Assert.Empty(Find(("Kestrel:Endpoints:Grpc:Url", "https://localhost:5101"), ("urls", "http://+:80")));
    }

    [Fact]
    public void Urls_count_when_Kestrel_prefers_them_over_its_endpoints()
    {
        Assert.Equal(["urls = http://+:80"],
            Find(("Kestrel:Endpoints:Grpc:Url", "https://localhost:5101"), ("urls", "https://+:443; http://+:80"), ("preferHostingUrls", "true")));
    }

    [Fact]
    public void Without_endpoints_each_cleartext_url_is_named()
    {
        Assert.Equal(["urls = http://a:1", "urls = http://b:2"], Find(("urls", "http://a:1;https://c:3;http://b:2")));
    }

    [Fact]
    public void Without_endpoints_or_urls_http_ports_are_cleartext()
    {
        Assert.Equal(["http_ports = 8080"], Find(("http_ports", "8080")));
        Assert.Empty(Find(("https_ports", "8443")));
    }

    [Fact]
    public void Nothing_configured_means_Kestrels_cleartext_default()
    {
        Assert.Equal(["Kestrel's default address = http://localhost:5000"], Find());
    }
}

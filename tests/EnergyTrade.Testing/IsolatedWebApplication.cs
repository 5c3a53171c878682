using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace EnergyTrade.Testing;

/// <summary>The builder for a test's own small server (a token issuer, an OTLP collector), listening on one loopback port only.</summary>
internal static class IsolatedWebApplication
{
    public static WebApplicationBuilder CreateBuilder(int port, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test's own folder holds a service's appsettings.json, whose Kestrel endpoints would be bound too.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = protocols));
        return builder;
    }
}

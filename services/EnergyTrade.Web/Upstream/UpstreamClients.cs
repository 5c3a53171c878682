using EnergyTrade.Client.Auth;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Health.V1;
using Grpc.Net.ClientFactory;

namespace EnergyTrade.Web.Upstream;

/// <summary>
/// The gRPC clients of Trade and Shipments, calling as the page's own client with a token from the
/// identity provider, renewed as it ages.
/// </summary>
public static class UpstreamClients
{
    public static IHostApplicationBuilder AddUpstreamClients(this IHostApplicationBuilder builder, WebOptions options)
    {
        builder.Services.AddHttpClient(nameof(ClientCredentialsTokens), http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(sp => new ClientCredentialsTokens(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ClientCredentialsTokens)),
            options.Authority!, options.ClientId, options.ClientSecret!, clock: sp.GetRequiredService<TimeProvider>()));

        Register<TradeService.TradeServiceClient>(builder.Services, options.TradeUrl!, withToken: true);
        Register<ShipmentService.ShipmentServiceClient>(builder.Services, options.ShipmentsUrl!, withToken: true);
        // Health needs no token; one client per service, told apart by name.
        Register<Health.HealthClient>(builder.Services, options.TradeUrl!, withToken: false, name: "trade-health");
        Register<Health.HealthClient>(builder.Services, options.ShipmentsUrl!, withToken: false, name: "shipments-health");
        return builder;
    }

    private static void Register<TClient>(IServiceCollection services, Uri address, bool withToken, string? name = null) where TClient : class
    {
        var client = name is null ? services.AddGrpcClient<TClient>(o => o.Address = address) : services.AddGrpcClient<TClient>(name, o => o.Address = address);
        if (!withToken) return;
        client
            .AddCallCredentials(async (context, metadata, sp) =>
                metadata.Add("Authorization", $"Bearer {await sp.GetRequiredService<ClientCredentialsTokens>().GetAsync(context.CancellationToken)}"))
            // The services answer cleartext only on loopback (scripts/up.sh, tests); a token may travel there.
            .ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = address.Scheme == Uri.UriSchemeHttp);
    }
}

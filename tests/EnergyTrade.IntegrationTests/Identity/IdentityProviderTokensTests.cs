using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Identity;

/// <summary>A service trusting the development identity provider (Auth:Authority) takes its tokens, scope by scope.</summary>
[Trait("Category", "Integration")]
public sealed class IdentityProviderTokensTests : IAsyncLifetime
{
    private IdentityProviderUnderTest _idp = null!;
    private ServiceUnderTest _sut = null!;

    public async Task InitializeAsync()
    {
        _idp = await IdentityProviderUnderTest.StartAsync("idp_tokens");
        _sut = await ServiceUnderTest.CreateAsync("idp_tokens");
    }

    public async Task DisposeAsync()
    {
        await _sut.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task Shipments_accepts_the_readers_token_for_a_read_and_refuses_it_a_write()
    {
        var (shipments, _) = await _sut.StartShipmentsAsync(environment: _idp.ServiceEnvironment);
        var token = await _idp.ClientCredentialsAsync(IdentityProviderUnderTest.Reader);
        Assert.False(token.IsError, token.Error);
        using var channel = TestAuth.Channel(shipments.GrpcUrl, token.AccessToken);
        var client = new ShipmentService.ShipmentServiceClient(channel);

        await client.ListShipmentsAsync(new ListShipmentsRequest(), Deadline(30));
        var write = await Assert.ThrowsAsync<RpcException>(() => client.CreateShipmentAsync(new CreateShipmentRequest(), Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, write.StatusCode);
    }
}

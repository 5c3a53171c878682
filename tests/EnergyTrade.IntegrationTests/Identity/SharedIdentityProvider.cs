using EnergyTrade.Testing;

namespace EnergyTrade.IntegrationTests.Identity;

/// <summary>One provider for the tests that only ask it for tokens; those that restart it start their own.</summary>
public sealed class SharedIdentityProvider : IAsyncLifetime
{
    public IdentityProviderUnderTest Provider { get; private set; } = null!;

    public async Task InitializeAsync() => Provider = await IdentityProviderUnderTest.StartAsync("identity");

    public async Task DisposeAsync() => await Provider.DisposeAsync();
}

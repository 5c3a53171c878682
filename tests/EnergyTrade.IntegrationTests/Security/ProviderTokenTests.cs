using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Net.Client;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>
/// Services that trust an OpenID Connect provider (Auth:Authority): its discovery document, its keys as
/// they rotate, its audience, and the scopes its roles grant. The provider is <see cref="TestIssuer"/>,
/// which serves discovery and a JWKS over HTTP and lets the test rotate keys mid-run.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProviderTokenTests(ProviderTokenTests.Services services) : IClassFixture<ProviderTokenTests.Services>
{
    private readonly TestIssuer _issuer = services.Issuer;
    private readonly TestIssuer _stranger = services.Stranger;
    private readonly ServiceProcess _shipments = services.Shipments;
    private readonly ServiceProcess _trade = services.Trade;

    /// <summary>One Shipments and one Trade that trust <see cref="Issuer"/>, shared by the tests of the class.</summary>
    public sealed class Services : IAsyncLifetime
    {
        private ServiceUnderTest _sut = null!;
        public TestIssuer Issuer { get; private set; } = null!;
        public TestIssuer Stranger { get; private set; } = null!;
        public ServiceProcess Shipments { get; private set; } = null!;
        public ServiceProcess Trade { get; private set; } = null!;
        public List<GrpcChannel> Channels { get; } = [];

        public async Task InitializeAsync()
        {
            _sut = await ServiceUnderTest.CreateAsync("oidc");
            Issuer = await TestIssuer.StartAsync();
            Stranger = await TestIssuer.StartAsync();
            var environment = new Dictionary<string, string>(Issuer.ServiceEnvironment)
            {
                ["Auth__RoleClaims"] = "roles realm_access.roles resource_access.energytrade.roles",
                ["Auth__RoleScopes__energytrade-reader"] = "shipments:read trade:read",
                ["Auth__RoleScopes__energytrade-importer"] = "shipments:write",
                ["Auth__ScopesFromRoleNames"] = "true",
                ["RateLimiting__WritesPerSecond"] = "1",
                ["RateLimiting__WriteBurst"] = "2",
            };
            (Shipments, _) = await _sut.StartShipmentsAsync(environment: environment);
            (Trade, _) = await _sut.StartTradeAsync(environment);
        }

        public async Task DisposeAsync()
        {
            foreach (var channel in Channels) channel.Dispose();
            await _sut.DisposeAsync();
            await Issuer.DisposeAsync();
            await Stranger.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_providers_token_with_the_scope_is_accepted_and_one_without_it_is_denied()
    {
        Assert.Equal(StatusCode.OK, await ReadTotals(_issuer.Token(["trade:read"])));
        Assert.Equal(StatusCode.NotFound, await GetShipment(_issuer.Token(["shipments:read"])));
        Assert.Equal(StatusCode.PermissionDenied, await GetShipment(_issuer.Token(["trade:read"])));
    }

    [Fact]
    public async Task Tokens_the_provider_did_not_issue_for_these_services_are_unauthenticated()
    {
        var all = EnergyTrade.Contracts.Security.Scopes.All;
        var cases = new Dictionary<string, string>
        {
            ["another issuer's token"] = _stranger.Token(all),
            ["another issuer's name on our key"] = _issuer.Token(all, issuer: _stranger.Issuer),
            ["alg none"] = _issuer.UnsignedToken(all),
            ["HS256 signed with the provider's public key"] = _issuer.HmacToken(all, withThePublicRsaKey: true),
            ["HS256 signed with a symmetric key the JWKS lists"] = _issuer.HmacToken(all, withThePublicRsaKey: false),
            ["the shared development key"] = TestAuth.Token(all, issuer: _issuer.Issuer),
            ["another audience"] = _issuer.Token(all, audience: "reporting"),
            ["a key never published"] = _issuer.Token(all, key: TestIssuer.NewKey()),
            ["expired"] = _issuer.Token(all, lifetime: TimeSpan.FromMinutes(-5)),
        };
        foreach (var (name, token) in cases)
        {
            var shipments = await GetShipment(token);
            Assert.True(shipments == StatusCode.Unauthenticated, $"{name} on Shipments: {shipments}");
            var trade = await ReadTotals(token);
            Assert.True(trade == StatusCode.Unauthenticated, $"{name} on Trade: {trade}");
        }
    }

    [Fact]
    public async Task A_key_rotated_during_the_run_is_trusted_without_a_restart_and_the_key_it_replaced_is_not()
    {
        var oldKey = _issuer.CurrentKey;
        Assert.Equal(StatusCode.OK, await ReadTotals(_issuer.Token(["trade:read"])));
        var reads = _issuer.KeyReads;

        // The provider rotates at once: a new key signs, the old one leaves the JWKS. The first call that
        // names the new key is the one that makes the services read the keys again, and it passes, with
        // the scopes its roles grant (the path that validates it again maps roles as the first one does).
        _issuer.Rotate(dropOld: true);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // Auth:KeyRefreshMinimumInterval in these tests: 1 s
        Assert.Equal(StatusCode.OK, await ReadTotals(_issuer.Token(claims: new Dictionary<string, object>
        {
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "energytrade-reader" } },
        })));
        Assert.Equal(StatusCode.NotFound, await GetShipment(_issuer.Token(["shipments:read"])));
        Assert.True(_issuer.KeyReads > reads, "the services read the keys again when a token named a new one");

        Assert.Equal(StatusCode.Unauthenticated, await ReadTotals(_issuer.Token(["trade:read"], key: oldKey)));
        Assert.Equal(StatusCode.Unauthenticated, await GetShipment(_issuer.Token(["shipments:read"], key: oldKey)));
    }

    [Fact]
    public async Task Scopes_come_from_scp_as_well_as_scope_and_from_roles_by_configuration()
    {
        // Entra ID's delegated tokens: "scp", space separated.
        Assert.Equal(StatusCode.OK, await ReadTotals(_issuer.Token(claims: new Dictionary<string, object> { ["scp"] = "trade:read" })));
        // Keycloak's realm roles, nested in realm_access.
        var keycloakReader = _issuer.Token(claims: new Dictionary<string, object>
        {
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "offline_access", "energytrade-reader" } },
        });
        Assert.Equal(StatusCode.OK, await ReadTotals(keycloakReader));
        Assert.Equal(StatusCode.NotFound, await GetShipment(keycloakReader));
        Assert.Equal(StatusCode.PermissionDenied, await Create(keycloakReader));
        // Keycloak's client roles, and Entra ID's app roles in a client-credentials token.
        var clientRole = _issuer.Token(claims: new Dictionary<string, object>
        {
            ["resource_access"] = new Dictionary<string, object> { ["energytrade"] = new Dictionary<string, object> { ["roles"] = new[] { "energytrade-importer" } } },
        });
        Assert.Equal(StatusCode.OK, await Create(clientRole));
        Assert.Equal(StatusCode.PermissionDenied, await ReadTotals(clientRole));
        var appRoles = _issuer.Token(subject: "daemon-app", claims: new Dictionary<string, object> { ["roles"] = new[] { "energytrade-reader", "energytrade-importer" } });
        Assert.Equal(StatusCode.OK, await ReadTotals(appRoles));
        Assert.Equal(StatusCode.OK, await Create(appRoles));
        // A role named like a scope is that scope (Auth:ScopesFromRoleNames, for Entra ID app roles); one neither named nor mapped grants nothing.
        Assert.Equal(StatusCode.OK, await ReadTotals(_issuer.Token(claims: new Dictionary<string, object> { ["roles"] = new[] { "trade:read" } })));
        // A token that names the services' scopes keeps exactly those: roles do not widen a down-scoped token.
        var downScoped = _issuer.Token(["trade:read"], claims: new Dictionary<string, object> { ["roles"] = new[] { "energytrade-importer" } });
        Assert.Equal(StatusCode.OK, await ReadTotals(downScoped));
        Assert.Equal(StatusCode.PermissionDenied, await Create(downScoped));
        Assert.Equal(StatusCode.PermissionDenied, await ReadTotals(_issuer.Token(claims: new Dictionary<string, object> { ["roles"] = new[] { "trade-admin" } })));
    }

    [Fact]
    public async Task Writes_are_limited_per_client_and_subject()
    {
        // Ten at once against a burst of 2 refilled at 1/s: some are refused however slow the machine.
        var hasty = _issuer.Token(["shipments:write"], subject: "alice", authorizedParty: "importer-script");
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Create(hasty)));
        Assert.Contains(StatusCode.OK, statuses);
        Assert.Contains(StatusCode.ResourceExhausted, statuses);

        // The same person through another client, and another person through the same client, are not held back.
        Assert.Equal(StatusCode.OK, await Create(_issuer.Token(["shipments:write"], subject: "alice", authorizedParty: "energytrade-cli")));
        Assert.Equal(StatusCode.OK, await Create(_issuer.Token(["shipments:write"], subject: "bob", authorizedParty: "importer-script")));
    }

    private async Task<StatusCode> ReadTotals(string token) => await StatusOf(() =>
        new TradeService.TradeServiceClient(Channel(_trade, token))
            .GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline()).ResponseAsync);

    private async Task<StatusCode> GetShipment(string token) => await StatusOf(() =>
        new ShipmentService.ShipmentServiceClient(Channel(_shipments, token))
            .GetShipmentAsync(new GetShipmentRequest { Name = $"shipments/{Guid.NewGuid()}" }, Deadline()).ResponseAsync);

    private async Task<StatusCode> Create(string token) => await StatusOf(() =>
        new ShipmentService.ShipmentServiceClient(Channel(_shipments, token)).CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1m, Quantity.Types.Unit.Barrels, null, 2020, 3, 1, "Supsa"),
        }, Deadline()).ResponseAsync);

    private GrpcChannel Channel(ServiceProcess process, string token)
    {
        var channel = TestAuth.Channel(process.GrpcUrl, token);
        services.Channels.Add(channel);
        return channel;
    }

    private static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }
}

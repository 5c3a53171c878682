using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Net.Client;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>Each authentication and authorisation rule, against the running services.</summary>
[Trait("Category", "Integration")]
public sealed class AuthTests : IAsyncLifetime
{
    private ServiceUnderTest _sut = null!;
    private ServiceProcess _shipments = null!;
    private ServiceProcess _trade = null!;
    private readonly List<GrpcChannel> _channels = [];

    public async Task InitializeAsync()
    {
        _sut = await ServiceUnderTest.CreateAsync("auth");
        (_shipments, _) = await _sut.StartShipmentsAsync(environment: new Dictionary<string, string>
        {
            ["RateLimiting__WritesPerSecond"] = "1",
            ["RateLimiting__WriteBurst"] = "3",
        });
        (_trade, _) = await _sut.StartTradeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        await _sut.DisposeAsync();
    }

    private ShipmentService.ShipmentServiceClient Shipments(string? token)
    {
        var channel = token is null ? GrpcChannel.ForAddress(_shipments.GrpcUrl) : TestAuth.Channel(_shipments.GrpcUrl, token);
        _channels.Add(channel);
        return new ShipmentService.ShipmentServiceClient(channel);
    }

    private TradeService.TradeServiceClient Trade(string? token)
    {
        var channel = token is null ? GrpcChannel.ForAddress(_trade.GrpcUrl) : TestAuth.Channel(_trade.GrpcUrl, token);
        _channels.Add(channel);
        return new TradeService.TradeServiceClient(channel);
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

    private static GetShipmentRequest Missing => new() { Name = $"shipments/{Guid.NewGuid()}" };

    [Fact]
    public async Task Invalid_tokens_are_unauthenticated_without_detail()
    {
        var cases = new Dictionary<string, string?>
        {
            ["no token"] = null,
            ["expired"] = TestAuth.Token(notBefore: DateTime.UtcNow.AddHours(-3), lifetime: TimeSpan.FromHours(1)),
            ["wrong issuer"] = TestAuth.Token(issuer: "someone-else"),
            ["wrong audience"] = TestAuth.Token(audience: "reporting"),
            ["bad signature"] = TestAuth.Token(signingKey: "another-key-that-is-long-enough-to-sign-0123"),
        };
        foreach (var (name, token) in cases)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => Shipments(token).GetShipmentAsync(Missing, Deadline()).ResponseAsync);
            Assert.True(ex.StatusCode == StatusCode.Unauthenticated, $"{name}: {ex.StatusCode}");
            Assert.DoesNotContain("IDX", ex.Status.Detail);
            Assert.DoesNotContain("signature", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
            var trade = await StatusOf(() => Trade(token).GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline()).ResponseAsync);
            Assert.True(trade == StatusCode.Unauthenticated, $"{name} on Trade: {trade}");
        }
    }

    [Fact]
    public async Task Each_method_needs_its_scope()
    {
        var reader = TestAuth.Token(["shipments:read"]);
        var dashboard = TestAuth.Token(["trade:read"]);
        var writer = TestAuth.Token(["shipments:write"]);
        var create = new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1m, Quantity.Types.Unit.Barrels, null, 2020, 3, 1, "Supsa"),
        };

        // A reporting dashboard can read totals but not amend or even read shipments.
        Assert.Equal(StatusCode.OK, await StatusOf(() => Trade(dashboard).GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline()).ResponseAsync));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(dashboard).CreateShipmentAsync(create, Deadline()).ResponseAsync));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(dashboard).GetShipmentAsync(Missing, Deadline()).ResponseAsync));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(dashboard).CancelShipmentAsync(new CancelShipmentRequest { Name = Missing.Name }, Deadline()).ResponseAsync));

        Assert.Equal(StatusCode.NotFound, await StatusOf(() => Shipments(reader).GetShipmentAsync(Missing, Deadline()).ResponseAsync));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(reader).CreateShipmentAsync(create, Deadline()).ResponseAsync));
#pragma warning disable CS0612, CS0618 // the deprecated synchronous republish keeps its place in the contract
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(reader).RepublishShipmentsAsync(new RepublishShipmentsRequest(), Deadline()).ResponseAsync));
        // Republishing rewrites the whole event stream: an admin operation, not a writer's.
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(writer).RepublishShipmentsAsync(new RepublishShipmentsRequest(), Deadline()).ResponseAsync));
#pragma warning restore CS0612, CS0618
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(writer).StartShipmentRepublishAsync(new RepublishShipmentsRequest(), Deadline()).ResponseAsync));
        Assert.Equal(StatusCode.OK, await StatusOf(() => Shipments(TestAuth.Token(["shipments:admin"])).StartShipmentRepublishAsync(new RepublishShipmentsRequest(), Deadline()).ResponseAsync));

        Assert.Equal(StatusCode.OK, await StatusOf(() => Shipments(writer).CreateShipmentAsync(create, Deadline()).ResponseAsync));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Shipments(writer).ListShipmentsAsync(new ListShipmentsRequest(), Deadline()).ResponseAsync));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf(() => Trade(writer).GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline()).ResponseAsync));
    }

    [Fact]
    public async Task Health_is_anonymous_and_reflection_needs_a_token()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(_channelFor(_shipments, token: null));
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), Deadline())).Status);
        using var http = new HttpClient { BaseAddress = _trade.HttpUrl };
        Assert.True((await http.GetAsync("/health/ready")).IsSuccessStatusCode);

        async Task<StatusCode> ListServices(string? token)
        {
            var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(_channelFor(_shipments, token));
            try
            {
                using var call = reflection.ServerReflectionInfo(Deadline());
                await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
                await call.RequestStream.CompleteAsync();
                await call.ResponseStream.MoveNext(CancellationToken.None);
                Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "energytrade.shipments.v1.ShipmentService");
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }
        Assert.Equal(StatusCode.Unauthenticated, await ListServices(null));
        Assert.Equal(StatusCode.OK, await ListServices(TestAuth.Token(["trade:read"])));
    }

    [Fact]
    public async Task An_oversize_message_is_refused()
    {
        var huge = new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1m, Quantity.Types.Unit.Barrels, null, 2020, 3, 1, "Supsa"),
            RequestId = new string('x', 300 * 1024),
        };
        Assert.Equal(StatusCode.ResourceExhausted, await StatusOf(() => Shipments(TestAuth.Token()).CreateShipmentAsync(huge, Deadline()).ResponseAsync));
        Assert.Equal(0, await _sut.ShipmentsDb.ScalarAsync<long>("SELECT count(*) FROM shipments WHERE length(request_id) > 1000"));
    }

    [Fact]
    public async Task Writes_are_rate_limited_per_caller()
    {
        var hasty = Shipments(TestAuth.Token(subject: "hasty-importer"));
        var statuses = new List<StatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add(await StatusOf(() => hasty.CreateShipmentAsync(new CreateShipmentRequest
            {
                Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1m, Quantity.Types.Unit.Barrels, null, 2020, 3, 1, "Supsa"),
            }, Deadline()).ResponseAsync));
        }
        Assert.Contains(StatusCode.ResourceExhausted, statuses);
        Assert.Equal(StatusCode.OK, statuses[0]);

        // Another caller is not held back, and reads are not limited.
        Assert.Equal(StatusCode.OK, await StatusOf(() => Shipments(TestAuth.Token(subject: "patient-exporter")).CreateShipmentAsync(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 1m, Quantity.Types.Unit.Barrels, null, 2020, 3, 2, "Supsa"),
        }, Deadline()).ResponseAsync));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(StatusCode.NotFound, await StatusOf(() => hasty.GetShipmentAsync(Missing, Deadline()).ResponseAsync));
        }
    }

    private GrpcChannel _channelFor(ServiceProcess process, string? token)
    {
        var channel = token is null ? GrpcChannel.ForAddress(process.GrpcUrl) : TestAuth.Channel(process.GrpcUrl, token);
        _channels.Add(channel);
        return channel;
    }
}

[Trait("Category", "Integration")]
public sealed class StartupKeyTests
{
    [Fact]
    public async Task A_service_without_a_key_refuses_to_start_unless_anonymous_access_is_explicit()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("nokey");
        var refused = ServiceProcess.Start("Trade", new Dictionary<string, string>
        {
            ["ConnectionStrings__Trade"] = sut.TradeDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = sut.VirtualHost.AmqpUri.ToString(),
            ["Auth__SigningKey"] = "",
        });
        await using (refused)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => refused.WaitReadyAsync(TimeSpan.FromSeconds(30)));
            Assert.True(refused.HasExited, ex.Message);
            Assert.Contains("Auth:SigningKey", refused.RecentLog());
        }

        var (open, trade) = await sut.StartTradeAsync(new Dictionary<string, string> { ["Auth__SigningKey"] = "", ["Auth__AllowAnonymous"] = "true" });
        using var channel = GrpcChannel.ForAddress(open.GrpcUrl);
        var anonymous = new TradeService.TradeServiceClient(channel);
        var totals = await anonymous.GetBilateralTotalsAsync(new GetBilateralTotalsRequest { Country = "AZ", Partner = "BY" }, Deadline());
        Assert.Equal(0, totals.Exports.ShipmentCount);
    }

    [Fact]
    public async Task A_service_given_both_a_provider_and_the_shared_key_refuses_to_start_and_says_which_to_clear()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("twokeys");
        var refused = ServiceProcess.Start("Shipments", new Dictionary<string, string>
        {
            ["ConnectionStrings__Shipments"] = sut.ShipmentsDb.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = sut.VirtualHost.AmqpUri.ToString(),
            ["Auth__Authority"] = "https://login.example.org/realms/energytrade",
        });
        await using (refused)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => refused.WaitReadyAsync(TimeSpan.FromSeconds(30)));
            Assert.True(refused.HasExited, ex.Message);
            Assert.Contains("clear Auth:SigningKey", refused.RecentLog());
        }
    }
}

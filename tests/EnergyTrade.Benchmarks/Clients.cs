using System.Text;
using EnergyTrade.Client.Auth;
using EnergyTrade.Contracts.Security;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Benchmarks;

/// <summary>gRPC channels and clients for both services, with a bearer token when one is configured.</summary>
public sealed class Clients : IDisposable
{
    private readonly GrpcChannel _shipmentsChannel;
    private readonly GrpcChannel _tradeChannel;
    private readonly GrpcChannel? _uncachedTradeChannel;
    private readonly GrpcChannel? _emptyShipmentsChannel;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ClientCredentialsTokens? _tokens;
    private readonly Timer? _renewal;
    private volatile Metadata _headers;

    public Clients(BenchOptions options)
    {
        if (options.Token is not { Length: > 0 } && options.Authority is { Length: > 0 } authority)
        {
            var secret = options.ClientSecret
                ?? throw new ArgumentException($"--authority {authority} is given but ENERGYTRADE_CLIENT_SECRET is not: set the secret of client {options.ClientId}.");
            _tokens = new ClientCredentialsTokens(_http, new Uri(authority), options.ClientId, secret);
        }
        BearerToken = options.Token is { Length: > 0 } t ? t
            : _tokens is not null ? _tokens.GetAsync().AsTask().GetAwaiter().GetResult()
            : options.SigningKey is { Length: > 0 } key ? Jwt.Mint(key, options.Issuer) : null;
        TokenSource = options.Token is { Length: > 0 } ? "given"
            : _tokens is not null ? $"client credentials of {options.ClientId} from {options.Authority}, renewed as they age"
            : options.SigningKey is { Length: > 0 } ? $"minted with the HS256 key, issuer {options.Issuer}" : null;
        _shipmentsChannel = Channel(options.ShipmentsUrl);
        _tradeChannel = Channel(options.TradeUrl);
        Shipments = new ShipmentService.ShipmentServiceClient(_shipmentsChannel);
        ShipmentsOperations = new Google.LongRunning.Operations.OperationsClient(_shipmentsChannel);
        Trade = new TradeService.TradeServiceClient(_tradeChannel);
        TradeHealth = new Health.HealthClient(_tradeChannel);
        if (options.UncachedTradeUrl is { } uncached)
        {
            _uncachedTradeChannel = Channel(uncached);
            UncachedTrade = new TradeService.TradeServiceClient(_uncachedTradeChannel);
            UncachedTradeHealth = new Health.HealthClient(_uncachedTradeChannel);
        }
        if (options.EmptyShipmentsUrl is { } empty)
        {
            _emptyShipmentsChannel = Channel(empty);
            EmptyShipments = new ShipmentService.ShipmentServiceClient(_emptyShipmentsChannel);
        }
        _headers = HeadersWith(BearerToken);
        // Calls read the headers without waiting; a timer keeps the token in them fresh.
        if (_tokens is not null) _renewal = new Timer(_ => _ = RenewAsync(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    /// <summary>The token calls carry now (a provider's tokens are renewed during the run).</summary>
    public string? BearerToken { get; private set; }
    /// <summary>Where the token comes from, for the report; null without one.</summary>
    public string? TokenSource { get; }
    public ShipmentService.ShipmentServiceClient Shipments { get; }
    /// <summary>google.longrunning.Operations as Shipments serves it: phase 8 follows a republish with it.</summary>
    public Google.LongRunning.Operations.OperationsClient ShipmentsOperations { get; }
    public TradeService.TradeServiceClient Trade { get; }
    public Health.HealthClient TradeHealth { get; }
    /// <summary>The read-only replica without an answer cache (--uncached-trade-url); null when not given.</summary>
    public TradeService.TradeServiceClient? UncachedTrade { get; }
    public Health.HealthClient? UncachedTradeHealth { get; }
    /// <summary>The second Shipments, on a database phase 9 empties (--empty-shipments-url); null when not given.</summary>
    public ShipmentService.ShipmentServiceClient? EmptyShipments { get; }
    /// <summary>Sent with every call (the token is checked by the services' JWT middleware, when they have one).</summary>
    public Metadata Headers => _headers;

    private static Metadata HeadersWith(string? token) => token is null ? new Metadata() : new Metadata { { "Authorization", $"Bearer {token}" } };

    private async Task RenewAsync()
    {
        try
        {
            var token = await _tokens!.GetAsync();
            if (token != BearerToken)
            {
                BearerToken = token;
                _headers = HeadersWith(token);
            }
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            Console.WriteLine($"warning: could not renew the bearer token ({e.Message}); calls keep the current one until it expires");
        }
    }

    public CallOptions Call(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(Headers, DateTime.UtcNow + timeout, cancellationToken);

    private static readonly HealthCheckRequest UnknownService = new() { Service = "energytrade.benchmark.no-such-service" };

    /// <summary>
    /// The empty-call ceiling: Health/Check of an unknown service, which the server answers NOT_FOUND
    /// after looking the name up, without running any check.
    /// </summary>
    public async Task EmptyCallAsync(Health.HealthClient health, CancellationToken cancellationToken)
    {
        try
        {
            await health.CheckAsync(UnknownService, Call(TimeSpan.FromSeconds(10), cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // The expected answer.
        }
    }

    private static GrpcChannel Channel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // More streams than one HTTP/2 connection allows (the server caps them) open another connection.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        },
        MaxReceiveMessageSize = 16 * 1024 * 1024,
    });

    public void Dispose()
    {
        _renewal?.Dispose();
        _http.Dispose();
        _shipmentsChannel.Dispose();
        _tradeChannel.Dispose();
        _uncachedTradeChannel?.Dispose();
        _emptyShipmentsChannel?.Dispose();
    }
}

/// <summary>An HS256 JWT with the scopes the benchmark calls need, minted as the CLI does and validated as the services do.</summary>
public static class Jwt
{
    public static string Mint(string signingKey, string issuer, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = TokenAudience.Value,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now + (lifetime ?? TimeSpan.FromHours(2)),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "energytrade-benchmark",
                ["scope"] = string.Join(' ', Scopes.ShipmentsWrite, Scopes.ShipmentsRead, Scopes.ShipmentsAdmin, Scopes.TradeRead),
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}

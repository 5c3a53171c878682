using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace EnergyTrade.Benchmarks;

/// <summary>gRPC channels and clients for both services, with a bearer token when one is configured.</summary>
public sealed class Clients : IDisposable
{
    private readonly GrpcChannel _shipmentsChannel;
    private readonly GrpcChannel _tradeChannel;

    public Clients(BenchOptions options)
    {
        BearerToken = options.Token is { Length: > 0 } t ? t
            : options.SigningKey is { Length: > 0 } key ? Jwt.Mint(key, options.Issuer) : null;
        _shipmentsChannel = Channel(options.ShipmentsUrl);
        _tradeChannel = Channel(options.TradeUrl);
        Shipments = new ShipmentService.ShipmentServiceClient(_shipmentsChannel);
        Trade = new TradeService.TradeServiceClient(_tradeChannel);
        TradeHealth = new Health.HealthClient(_tradeChannel);
        Headers = BearerToken is null ? new Metadata() : new Metadata { { "Authorization", $"Bearer {BearerToken}" } };
    }

    public string? BearerToken { get; }
    public ShipmentService.ShipmentServiceClient Shipments { get; }
    public TradeService.TradeServiceClient Trade { get; }
    public Health.HealthClient TradeHealth { get; }
    /// <summary>Sent with every call (the token is checked by the services' JWT middleware, when they have one).</summary>
    public Metadata Headers { get; }

    public CallOptions Call(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(Headers, DateTime.UtcNow + timeout, cancellationToken);

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
        _shipmentsChannel.Dispose();
        _tradeChannel.Dispose();
    }
}

/// <summary>A minimal HS256 JWT with every scope, the way the services validate local tokens.</summary>
public static class Jwt
{
    public static string Mint(string signingKey, string issuer, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow;
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = "energytrade",
            ["sub"] = "energytrade-benchmark",
            ["scope"] = "shipments:write shipments:read trade:read",
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(2))).ToUnixTimeSeconds(),
        };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

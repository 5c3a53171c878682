using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Commands;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Transport;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Trade.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// The clients of one command run: one channel per service address (over TLS for https, trusting the CA file and
/// presenting the client certificate when given), each call carrying a bearer token (minted in local-development
/// mode with just the scopes that command needs).
/// </summary>
public sealed class ServiceClients : IDisposable
{
    private readonly CliEnvironment _environment;
    private readonly TlsFiles _tls;
    private readonly Dictionary<Uri, GrpcChannel> _channels = [];

    public ServiceClients(CliOptions options, CliEnvironment environment, TokenSource tokens)
    {
        _environment = environment;
        _tls = options.Tls;
        Tokens = tokens;
        Caller = new ServiceCaller(options.Timeout, environment.Clock);
        ShipmentsEndpoint = new ServiceEndpoint(ServiceEndpoint.ShipmentsName, options.ShipmentsUrl);
        TradeEndpoint = new ServiceEndpoint(ServiceEndpoint.TradeName, options.TradeUrl);
    }

    public TokenSource Tokens { get; }
    public ServiceCaller Caller { get; }
    public ServiceEndpoint ShipmentsEndpoint { get; }
    public ServiceEndpoint TradeEndpoint { get; }

    public ShipmentService.ShipmentServiceClient Shipments(params string[] scopes) => new(Invoker(ShipmentsEndpoint.Url, scopes));

    public TradeService.TradeServiceClient Trade(params string[] scopes) => new(Invoker(TradeEndpoint.Url, scopes));

    /// <summary>google.longrunning.Operations as Shipments serves it (republishes).</summary>
    public Google.LongRunning.Operations.OperationsClient ShipmentsOperations(params string[] scopes) => new(Invoker(ShipmentsEndpoint.Url, scopes));

    /// <summary>
    /// Clients for code that calls them itself (the Reconciler): every unary call goes through <see cref="Caller"/>,
    /// so it gets the --timeout deadline, the retries of <paramref name="retry"/>, and errors that name the service.
    /// </summary>
    public ShipmentService.ShipmentServiceClient ShipmentsViaCaller(RetryPolicy retry, params string[] scopes) =>
        new(Invoker(ShipmentsEndpoint.Url, scopes).Intercept(new CallerInterceptor(Caller, ShipmentsEndpoint, retry)));

    /// <inheritdoc cref="ShipmentsViaCaller"/>
    public TradeService.TradeServiceClient TradeViaCaller(RetryPolicy retry, params string[] scopes) =>
        new(Invoker(TradeEndpoint.Url, scopes).Intercept(new CallerInterceptor(Caller, TradeEndpoint, retry)));

    private CallInvoker Invoker(Uri url, string[] scopes)
    {
        var invoker = _environment.Invokers?.Invoke(url) ?? Channel(url).CreateCallInvoker();
        return invoker.Intercept(metadata =>
        {
            if (Tokens.TokenFor(scopes) is { } token) metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });
    }

    private GrpcChannel Channel(Uri url)
    {
        if (_channels.TryGetValue(url, out var channel)) return channel;
        channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            // The CA file and the client certificate matter only over TLS; a cleartext channel does not load them.
            HttpHandler = _tls.Handler(presentCertificate: url.Scheme == Uri.UriSchemeHttps, loadFiles: url.Scheme == Uri.UriSchemeHttps),
            // Tokens over cleartext are for loopback development (scripts/up.sh); use https:// elsewhere.
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        _channels[url] = channel;
        return channel;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        _channels.Clear();
        _tls.Dispose();
    }
}

using EnergyTrade.Client.Auth;
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

    public ShipmentService.ShipmentServiceClient Shipments(params string[] scopes) => new(Invoker(ShipmentsEndpoint, scopes));

    public TradeService.TradeServiceClient Trade(params string[] scopes) => new(Invoker(TradeEndpoint, scopes));

    /// <summary>google.longrunning.Operations as Shipments serves it (republishes).</summary>
    public Google.LongRunning.Operations.OperationsClient ShipmentsOperations(params string[] scopes) => new(Invoker(ShipmentsEndpoint, scopes));

    /// <summary>
    /// Clients for code that calls them itself (the Reconciler): every unary call goes through <see cref="Caller"/>,
    /// so it gets the --timeout deadline, the retries of <paramref name="retry"/>, and errors that name the service.
    /// </summary>
    public ShipmentService.ShipmentServiceClient ShipmentsViaCaller(RetryPolicy retry, params string[] scopes) =>
        new(Invoker(ShipmentsEndpoint, scopes).Intercept(new CallerInterceptor(Caller, ShipmentsEndpoint, retry)));

    /// <inheritdoc cref="ShipmentsViaCaller"/>
    public TradeService.TradeServiceClient TradeViaCaller(RetryPolicy retry, params string[] scopes) =>
        new(Invoker(TradeEndpoint, scopes).Intercept(new CallerInterceptor(Caller, TradeEndpoint, retry)));

    private CallInvoker Invoker(ServiceEndpoint endpoint, string[] scopes)
    {
        RefuseCleartext(endpoint);
        var invoker = _environment.Invokers?.Invoke(endpoint.Url) ?? Channel(endpoint.Url).CreateCallInvoker();
        return invoker.Intercept(metadata =>
        {
            if (Tokens.TokenFor(scopes) is { } token) metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });
    }

    /// <summary>
    /// A bearer token goes in cleartext only to this machine (scripts/up.sh's services on localhost): over http to another
    /// host, anyone on the way could take it and act as its holder until it expires. A call that carries none may go.
    /// </summary>
    private void RefuseCleartext(ServiceEndpoint endpoint)
    {
        if (Tokens.Source == CredentialSource.None || Loopback.MayCarryTokens(endpoint.Url)) return;
        var name = endpoint.Name.ToLowerInvariant();
        throw new UsageException($"{endpoint.Name}'s address {endpoint.Url.ToString().TrimEnd('/')} is http:// to another machine, and the CLI sends " +
            "its token in cleartext only to this one (localhost, 127.0.0.0/8, ::1), so no call was made. Use the service's https:// address: " +
            $"--{name}-url, ENERGYTRADE_{name.ToUpperInvariant()}_URL, or energytrade config set {name}_url URL.");
    }

    private GrpcChannel Channel(Uri url)
    {
        if (_channels.TryGetValue(url, out var channel)) return channel;
        channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            // The CA file and the client certificate matter only over TLS; a cleartext channel does not load them.
            HttpHandler = _tls.Handler(presentCertificate: url.Scheme == Uri.UriSchemeHttps, loadFiles: url.Scheme == Uri.UriSchemeHttps),
            // Tokens over cleartext go only to loopback (RefuseCleartext): development with scripts/up.sh.
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

using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// A CallInvoker that answers unary and streaming calls in-process from per-method handlers, and records every
/// call (request, headers, deadline), so commands can be tested without a server.
/// </summary>
public sealed class FakeCallInvoker : CallInvoker
{
    public delegate Task<IMessage> Handler(IMessage request, Metadata headers);

    public delegate IAsyncEnumerable<IMessage> StreamHandler(IMessage request, CancellationToken cancellationToken);

    private readonly ConcurrentDictionary<string, Handler> _handlers = new();
    private readonly ConcurrentDictionary<string, StreamHandler> _streams = new();
    private readonly ConcurrentDictionary<string, Func<IAsyncEnumerable<IMessage>, CancellationToken, IAsyncEnumerable<IMessage>>> _duplex = new();

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>What the fake server's clock reads; sent back as the HTTP Date header, as Kestrel does.</summary>
    public Func<DateTimeOffset>? ServerNow { get; set; }

    public FakeCallInvoker On<TRequest, TResponse>(string method, Func<TRequest, TResponse> handler)
        where TRequest : IMessage where TResponse : IMessage =>
        On<TRequest, TResponse>(method, (request, _) => Task.FromResult(handler(request)));

    public FakeCallInvoker On<TRequest, TResponse>(string method, Func<TRequest, Metadata, Task<TResponse>> handler)
        where TRequest : IMessage where TResponse : IMessage
    {
        _handlers[method] = async (request, headers) => await handler((TRequest)request, headers);
        return this;
    }

    /// <summary>A server-streaming method: the messages the handler yields, until it ends (status OK) or throws.</summary>
    public FakeCallInvoker OnStream<TRequest, TResponse>(string method, Func<TRequest, CancellationToken, IAsyncEnumerable<TResponse>> handler)
        where TRequest : IMessage where TResponse : IMessage
    {
        _streams[method] = (request, cancellationToken) => Cast(handler((TRequest)request, cancellationToken));
        return this;

        static async IAsyncEnumerable<IMessage> Cast(IAsyncEnumerable<TResponse> messages)
        {
            await foreach (var message in messages) yield return message;
        }
    }

    /// <summary>
    /// A bidirectional method: the handler reads the client's messages as they are written and yields its
    /// answers; throwing ends the call with that status, as a server does.
    /// </summary>
    public FakeCallInvoker OnDuplex<TRequest, TResponse>(string method, Func<IAsyncEnumerable<TRequest>, CancellationToken, IAsyncEnumerable<TResponse>> handler)
        where TRequest : IMessage where TResponse : IMessage
    {
        _duplex[method] = (requests, cancellationToken) => Cast(handler(Typed(requests), cancellationToken));
        return this;

        static async IAsyncEnumerable<TRequest> Typed(IAsyncEnumerable<IMessage> messages)
        {
            await foreach (var message in messages) yield return (TRequest)message;
        }

        static async IAsyncEnumerable<IMessage> Cast(IAsyncEnumerable<TResponse> messages)
        {
            await foreach (var message in messages) yield return message;
        }
    }

    public IEnumerable<RecordedCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host,
        CallOptions options, TRequest request)
    {
        var headers = options.Headers ?? [];
        Calls.Enqueue(new RecordedCall(method.Name, (IMessage)request, headers, options.Deadline));
        if (!_handlers.TryGetValue(method.Name, out var handler))
        {
            throw new InvalidOperationException($"The fake server has no handler for {method.Name}.");
        }
        var response = Task.Run(async () => (TResponse)await handler((IMessage)request, headers));
        var responseHeaders = new Metadata();
        if (ServerNow is { } now) responseHeaders.Add("date", now().ToString("r", System.Globalization.CultureInfo.InvariantCulture));
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(responseHeaders), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host,
        CallOptions options, TRequest request)
    {
        Calls.Enqueue(new RecordedCall(method.Name, (IMessage)request, options.Headers ?? [], options.Deadline));
        if (!_streams.TryGetValue(method.Name, out var handler))
        {
            throw new InvalidOperationException($"The fake server has no stream handler for {method.Name}.");
        }
        var call = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        var reader = new StreamReader<TResponse>(handler((IMessage)request, call.Token).GetAsyncEnumerator(call.Token), call);
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () =>
        {
            call.Cancel();
            call.Dispose();
        });
    }

    /// <summary>Reads like Grpc.Net.Client does: a cancelled call throws RpcException with StatusCode.Cancelled.</summary>
    private sealed class StreamReader<T>(IAsyncEnumerator<IMessage> messages, CancellationTokenSource call) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            using var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Token);
            try
            {
                var next = messages.MoveNextAsync().AsTask();
                await next.WaitAsync(read.Token);
                if (!next.Result) return false;
                Current = (T)messages.Current;
                return true;
            }
            catch (OperationCanceledException)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
            }
        }
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method,
        string? host, CallOptions options) => throw new NotSupportedException();

    /// <summary>The call is recorded once, with an empty request: the handler sees the messages.</summary>
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method,
        string? host, CallOptions options)
    {
        Calls.Enqueue(new RecordedCall(method.Name, new Google.Protobuf.WellKnownTypes.Empty(), options.Headers ?? [], options.Deadline));
        if (!_duplex.TryGetValue(method.Name, out var handler))
        {
            throw new InvalidOperationException($"The fake server has no duplex handler for {method.Name}.");
        }
        var call = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        var requests = Channel.CreateUnbounded<IMessage>();
        var reader = new StreamReader<TResponse>(handler(requests.Reader.ReadAllAsync(call.Token), call.Token).GetAsyncEnumerator(call.Token), call);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(new ChannelWriter<TRequest>(requests.Writer), reader, Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess, () => [], () =>
            {
                call.Cancel();
                call.Dispose();
            });
    }

    private sealed class ChannelWriter<T>(System.Threading.Channels.ChannelWriter<IMessage> messages) : IClientStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => messages.WriteAsync((IMessage)message!).AsTask();

        public Task WriteAsync(T message, CancellationToken cancellationToken) => messages.WriteAsync((IMessage)message!, cancellationToken).AsTask();

        public Task CompleteAsync()
        {
            messages.TryComplete();
            return Task.CompletedTask;
        }
    }
}

public sealed record RecordedCall(string Method, IMessage Request, Metadata Headers, DateTime? Deadline)
{
    public string? Authorization => Headers.GetValue("authorization");
}

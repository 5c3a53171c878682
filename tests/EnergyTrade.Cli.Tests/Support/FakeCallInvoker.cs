using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// A CallInvoker that answers unary calls in-process from per-method handlers, and records every
/// call (request, headers, deadline), so commands can be tested without a server.
/// </summary>
public sealed class FakeCallInvoker : CallInvoker
{
    public delegate Task<IMessage> Handler(IMessage request, Metadata headers);

    public delegate IAsyncEnumerable<IMessage> StreamHandler(IMessage request, CancellationToken cancellationToken);

    private readonly ConcurrentDictionary<string, Handler> _handlers = new();
    private readonly ConcurrentDictionary<string, StreamHandler> _streams = new();

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

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method,
        string? host, CallOptions options) => throw new NotSupportedException();
}

public sealed record RecordedCall(string Method, IMessage Request, Metadata Headers, DateTime? Deadline)
{
    public string? Authorization => Headers.GetValue("authorization");
}

using EnergyTrade.Shipments.V1;
using Grpc.Core;

namespace EnergyTrade.Testing;

/// <summary>
/// One ImportShipments call as a client drives it: chunks written, answers read, each when the test
/// says. Disposing it before the end cancels the call, as a client that dies or gives up does.
/// </summary>
public sealed class ImportStream(ShipmentService.ShipmentServiceClient client, int seconds = 300) : IDisposable
{
    private readonly AsyncDuplexStreamingCall<ImportShipmentsRequest, ImportShipmentsResponse> _call =
        client.ImportShipments(new CallOptions(deadline: DateTime.UtcNow.AddSeconds(seconds)));

    /// <summary>Chunks whose write has returned: taken by HTTP/2, not necessarily by the service.</summary>
    public int Sent { get; private set; }

    public static ImportShipmentsRequest Chunk(IEnumerable<CreateShipmentRequest> items, bool validateOnly = false)
    {
        var chunk = new ImportShipmentsRequest { ValidateOnly = validateOnly };
        chunk.Requests.AddRange(items);
        return chunk;
    }

    public async Task SendAsync(IEnumerable<CreateShipmentRequest> items, bool validateOnly = false)
    {
        await _call.RequestStream.WriteAsync(Chunk(items, validateOnly));
        Sent++;
    }

    public Task CompleteAsync() => _call.RequestStream.CompleteAsync();

    /// <summary>The next answer, or null once the service has closed the stream with OK; its error otherwise, as an <see cref="RpcException"/>.</summary>
    public async Task<ImportShipmentsResponse?> NextAsync() =>
        await _call.ResponseStream.MoveNext(CancellationToken.None) ? _call.ResponseStream.Current : null;

    /// <summary>Every answer still to come, until the service closes the stream.</summary>
    public async Task<List<ImportShipmentsResponse>> ReadToEndAsync()
    {
        var answers = new List<ImportShipmentsResponse>();
        while (await NextAsync() is { } answer) answers.Add(answer);
        return answers;
    }

    /// <summary>Every answer until the service closes the stream, and the error it closed it with (null for OK).</summary>
    public async Task<(List<ImportShipmentsResponse> Answers, RpcException? Error)> ReadToFailureAsync()
    {
        var answers = new List<ImportShipmentsResponse>();
        try
        {
            while (await NextAsync() is { } answer) answers.Add(answer);
            return (answers, null);
        }
        catch (RpcException error)
        {
            return (answers, error);
        }
    }

    /// <summary>
    /// Sends every chunk and closes the sending side while reading the answers, as a client should (a client
    /// that only sends is held back by flow control); every answer, in the order received.
    /// </summary>
    public static async Task<List<ImportShipmentsResponse>> ImportAsync(ShipmentService.ShipmentServiceClient client,
        IEnumerable<IEnumerable<CreateShipmentRequest>> chunks, bool validateOnly = false)
    {
        using var stream = new ImportStream(client);
        var sending = Task.Run(async () =>
        {
            foreach (var chunk in chunks) await stream.SendAsync(chunk, validateOnly);
            await stream.CompleteAsync();
        });
        var answers = await stream.ReadToEndAsync();
        await sending;
        return answers;
    }

    public void Dispose() => _call.Dispose();
}

using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.ServiceDefaults.Security;
using EnergyTrade.Shipments.Revisions;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// ImportShipments: a stream of chunks, each created like a batch (<see cref="CreateChunkAsync"/>) and
/// answered in the order sent as soon as it is written. A few chunks are written at once, so the group
/// commit always has the next rows while one transaction commits; the next chunk is read only when one
/// of those is answered, so the sender is held back by HTTP/2 flow control and memory stays bounded
/// however long the stream.
/// </summary>
public sealed partial class ShipmentsGrpcService
{
    /// <summary>Chunks being written at once: enough to keep both of the group commit's writers busy.</summary>
    public const int ImportChunksInFlight = 4;

    [Authorize(Policy = Scopes.ShipmentsWrite)]
    [EnableRateLimiting(SecurityExtensions.WritesRateLimit)]
    public override async Task ImportShipments(IAsyncStreamReader<V1.ImportShipmentsRequest> requestStream,
        IServerStreamWriter<V1.ImportShipmentsResponse> responseStream, ServerCallContext context)
    {
        var actor = Actor.Of(context.GetHttpContext().User);
        var import = new ImportStream();
        // One chunk is being answered (out of the channel) and one more waits to enter it, already being written.
        var pending = Channel.CreateBounded<PendingChunk>(ImportChunksInFlight - 2);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var answering = AnswerInOrderAsync(pending.Reader, responseStream, import, failed);
        try
        {
            await foreach (var chunk in requestStream.ReadAllAsync(failed.Token))
            {
                var violations = new FieldViolations();
                ChunkSize("requests", chunk.Requests.Count, violations);
                import.ValidateOnly ??= chunk.ValidateOnly;
                if (chunk.ValidateOnly != import.ValidateOnly)
                {
                    violations.Add("validate_only",
                        $"must stay {import.ValidateOnly.Value.ToString().ToLowerInvariant()} for the whole stream, as its first chunk set it.",
                        "VALIDATE_ONLY_CHANGED");
                }
                if (violations.Any)
                {
                    // What was sent before the bad chunk is answered first, so the client knows exactly where it stands.
                    pending.Writer.Complete();
                    await answering;
                    LogImportRefused(import.Chunks, import.Items);
                    violations.ThrowIfAny();
                }

                var (offset, validateOnly) = (import.Items, import.ValidateOnly.Value);
                var written = AfterAsync(import.Sharing(chunk.Requests, out var requestIds),
                    () => ImportChunkAsync(chunk.Requests, offset, validateOnly, actor));
                import.Started(chunk.Requests, requestIds, written);
                await pending.Writer.WriteAsync(new PendingChunk(chunk.Requests, written), failed.Token);
            }
            pending.Writer.Complete();
            await answering;
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Answering failed (the database, the client's side of the stream): that is the call's error.
            await answering;
            throw;
        }
        finally
        {
            pending.Writer.TryComplete();
            // On any failure (a chunk too large, the client gone): stop answering before the call ends,
            // since nothing may be written to the stream after it, and observe how answering ended.
            if (!answering.IsCompleted) await failed.CancelAsync();
            await answering.ContinueWith(_ => { }, TaskScheduler.Default);
            // Chunks still being written when the stream failed or was cancelled: let them finish (their
            // writes commit or not, and a re-sent import finds out which) and observe their failures.
            await Task.WhenAll(import.InFlight).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        LogImported(import.Chunks, import.Items, import.ValidateOnly ?? false, import.Count(Outcome.Created), import.Count(Outcome.AlreadyPresent),
            import.Count(Outcome.Valid), import.Count(Outcome.Invalid), import.Count(Outcome.RequestIdReused));
    }

    /// <summary>Writes each chunk's answer as soon as it and every chunk before it are written.</summary>
    private static async Task AnswerInOrderAsync(ChannelReader<PendingChunk> pending,
        IServerStreamWriter<V1.ImportShipmentsResponse> responseStream, ImportStream import, CancellationTokenSource failed)
    {
        try
        {
            await foreach (var chunk in pending.ReadAllAsync(CancellationToken.None))
            {
                var answer = import.Answered(chunk.Items, await chunk.Answer);
                await responseStream.WriteAsync(answer, failed.Token);
            }
        }
        catch
        {
            // Stop reading the client's chunks: nothing more can be answered.
            await failed.CancelAsync();
            throw;
        }
    }

    /// <summary>A chunk sharing a request_id with chunks still being written waits for them: the earlier item in the stream decides.</summary>
    private static async Task<V1.ImportShipmentsResponse> AfterAsync(Task[] earlier, Func<Task<V1.ImportShipmentsResponse>> chunk)
    {
        if (earlier.Length > 0) await Task.WhenAll(earlier).ContinueWith(_ => { }, TaskScheduler.Default);
        return await chunk();
    }

    private async Task<V1.ImportShipmentsResponse> ImportChunkAsync(IReadOnlyList<V1.CreateShipmentRequest> items, long offset, bool validateOnly, Actor actor)
    {
        // Field paths relative to the item: the index already says which one.
        var results = await CreateChunkAsync(items, validateOnly, actor, _ => "");
        var response = new V1.ImportShipmentsResponse();
        response.Results.AddRange(results.Select(r => new V1.ImportResult
        {
            Index = offset + r.Index,
            Outcome = r.Outcome,
            Name = r.Shipment?.Name ?? "",
            Status = r.Status,
        }));
        return response;
    }

    private sealed record PendingChunk(IReadOnlyList<V1.CreateShipmentRequest> Items, Task<V1.ImportShipmentsResponse> Answer);

    /// <summary>
    /// One import's state across its chunks: the request_ids of the chunks being written (touched only by
    /// the reading loop), and what a validate_only stream has answered VALID (it writes nothing the database
    /// could remember) with the counts for the closing log line (touched only by the answering loop).
    /// </summary>
    private sealed class ImportStream
    {
        private readonly List<(HashSet<string> RequestIds, Task Chunk)> _inFlight = [];
        private readonly Dictionary<Outcome, long> _outcomes = [];
        // By 64-bit hashes of request_id and shipment: a dry run of millions of rows costs tens of megabytes.
        private readonly Dictionary<ulong, ulong> _validated = [];

        public bool? ValidateOnly { get; set; }
        public long Chunks { get; private set; }
        public long Items { get; private set; }
        public IEnumerable<Task> InFlight => _inFlight.Select(c => c.Chunk);

        /// <summary>The chunks being written that share a request_id with <paramref name="items"/>.</summary>
        public Task[] Sharing(IReadOnlyList<V1.CreateShipmentRequest> items, out HashSet<string> requestIds)
        {
            _inFlight.RemoveAll(c => c.Chunk.IsCompleted);
            var ids = requestIds = items.Select(i => i.RequestId).Where(id => id.Length > 0).ToHashSet(StringComparer.Ordinal);
            return [.. _inFlight.Where(c => c.RequestIds.Overlaps(ids)).Select(c => c.Chunk)];
        }

        public void Started(IReadOnlyList<V1.CreateShipmentRequest> items, HashSet<string> requestIds, Task written)
        {
            _inFlight.Add((requestIds, written));
            Chunks++;
            Items += items.Count;
        }

        /// <summary>A chunk's answer, in stream order: counted, and in a dry run checked against the items answered before it.</summary>
        public V1.ImportShipmentsResponse Answered(IReadOnlyList<V1.CreateShipmentRequest> items, V1.ImportShipmentsResponse answer)
        {
            for (var i = 0; i < answer.Results.Count; i++)
            {
                var result = answer.Results[i];
                if (result.Outcome == Outcome.Valid) Remember(result, items[i]);
                _outcomes[result.Outcome] = Count(result.Outcome) + 1;
            }
            return answer;
        }

        public long Count(Outcome outcome) => _outcomes.GetValueOrDefault(outcome);

        /// <summary>
        /// Nothing a dry run checks is written, so a request_id answered VALID earlier in the stream is
        /// held here instead: again with the same shipment it is ALREADY_PRESENT, with another REQUEST_ID_REUSED,
        /// as the import would answer them.
        /// </summary>
        private void Remember(V1.ImportResult result, V1.CreateShipmentRequest item)
        {
            if (item.RequestId.Length == 0) return;
            var requestId = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(item.RequestId.AsSpan()));
            var shipment = XxHash3.HashToUInt64(item.Shipment?.ToByteArray() ?? []);
            if (!_validated.TryGetValue(requestId, out var earlier))
            {
                _validated[requestId] = shipment;
            }
            else if (earlier == shipment)
            {
                result.Outcome = Outcome.AlreadyPresent;
            }
            else
            {
                result.Outcome = Outcome.RequestIdReused;
                result.Status = ReusedByEarlierItem(item.RequestId);
            }
        }
    }

    [LoggerMessage(LogLevel.Information,
        "Import of {Items} creates in {Chunks} chunks (validate only: {ValidateOnly}): {Created} created, {AlreadyPresent} already present, {Valid} valid, {Invalid} invalid, {Reused} request_id reused")]
    private partial void LogImported(long chunks, long items, bool validateOnly, long created, long alreadyPresent, long valid, long invalid, long reused);

    [LoggerMessage(LogLevel.Warning, "Import refused a malformed chunk after {Chunks} chunks ({Items} creates); those were answered")]
    private partial void LogImportRefused(long chunks, long items);
}

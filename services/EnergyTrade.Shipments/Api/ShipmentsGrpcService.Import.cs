using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.ServiceDefaults.Security;
using EnergyTrade.Shipments.Revisions;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// ImportShipments: a stream of chunks, each created like a batch (<see cref="CreateChunkAsync"/>) and
/// answered in the order sent. A few chunks are written at once, so the group commit always has the
/// next rows while one transaction commits; the next chunk is read only when one is answered, so the
/// sender is held back by HTTP/2 flow control and memory stays bounded however long the stream.
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
        var inFlight = new Queue<Task<V1.ImportShipmentsResponse>>();
        var tally = new ImportTally();
        bool? validateOnly = null;
        try
        {
            await foreach (var chunk in requestStream.ReadAllAsync(context.CancellationToken))
            {
                var violations = new FieldViolations();
                ChunkSize("requests", chunk.Requests.Count, violations);
                validateOnly ??= chunk.ValidateOnly;
                if (chunk.ValidateOnly != validateOnly)
                {
                    violations.Add("validate_only", $"must stay {validateOnly.Value.ToString().ToLowerInvariant()} for the whole stream, as its first chunk set it.",
                        "VALIDATE_ONLY_CHANGED");
                }
                if (violations.Any)
                {
                    // What was sent before the bad chunk is answered first, so the client knows exactly where it stands.
                    await AnswerAsync(int.MaxValue);
                    LogImportRefused(tally.Chunks, tally.Items);
                    violations.ThrowIfAny();
                }

                inFlight.Enqueue(ImportChunkAsync(chunk.Requests, tally.Items, validateOnly.Value, actor));
                tally.Chunks++;
                tally.Items += chunk.Requests.Count;
                await AnswerAsync(ImportChunksInFlight - 1);
            }
            await AnswerAsync(0);
        }
        finally
        {
            // Chunks still being written when the stream failed or was cancelled: let them finish (their
            // writes commit or not, and a re-sent import finds out which) and observe their failures.
            await Task.WhenAll(inFlight).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        LogImported(tally.Chunks, tally.Items, validateOnly ?? false, tally.Count(Outcome.Created), tally.Count(Outcome.AlreadyPresent),
            tally.Count(Outcome.Valid), tally.Count(Outcome.Invalid), tally.Count(Outcome.RequestIdReused));

        async Task AnswerAsync(int leaveInFlight)
        {
            while (inFlight.Count > leaveInFlight)
            {
                var answer = await inFlight.Peek();
                _ = inFlight.Dequeue();
                tally.Add(answer);
                await responseStream.WriteAsync(answer, context.CancellationToken);
            }
        }
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

    /// <summary>Counts for the log line that closes an import.</summary>
    private sealed class ImportTally
    {
        private readonly Dictionary<Outcome, long> _outcomes = [];

        public long Chunks { get; set; }
        public long Items { get; set; }

        public void Add(V1.ImportShipmentsResponse answer)
        {
            foreach (var result in answer.Results) _outcomes[result.Outcome] = Count(result.Outcome) + 1;
        }

        public long Count(Outcome outcome) => _outcomes.GetValueOrDefault(outcome);
    }

    [LoggerMessage(LogLevel.Information,
        "Import of {Items} creates in {Chunks} chunks (validate only: {ValidateOnly}): {Created} created, {AlreadyPresent} already present, {Valid} valid, {Invalid} invalid, {Reused} request_id reused")]
    private partial void LogImported(long chunks, long items, bool validateOnly, long created, long alreadyPresent, long valid, long invalid, long reused);

    [LoggerMessage(LogLevel.Warning, "Import refused a malformed chunk after {Chunks} chunks ({Items} creates); those were answered")]
    private partial void LogImportRefused(long chunks, long items);
}

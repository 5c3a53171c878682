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
/// BatchCreateShipments (AIP-233): each item is a CreateShipment of its own — same checks, same answer,
/// same idempotency — so the batch is per item, not atomic: valid items are written, the others reported.
/// </summary>
public sealed partial class ShipmentsGrpcService
{
    public const int MaxBatchCreates = 1000;

    [Authorize(Policy = Scopes.ShipmentsWrite)]
    [EnableRateLimiting(SecurityExtensions.WritesRateLimit)]
    public override async Task<V1.BatchCreateShipmentsResponse> BatchCreateShipments(V1.BatchCreateShipmentsRequest request, ServerCallContext context)
    {
        var requests = request.Requests;
        var violations = new FieldViolations();
        if (requests.Count is 0 or > MaxBatchCreates)
        {
            violations.Add("requests", $"must hold 1 to {MaxBatchCreates} creates (got {requests.Count}).",
                requests.Count == 0 ? "REQUIRED" : "TOO_MANY");
        }
        var chains = ChainsByRequestId(requests, violations);
        violations.ThrowIfAny();

        // Every chain at once: their writes reach the group commit together and share its transactions.
        var actor = Actor.Of(context.GetHttpContext().User);
        var results = new V1.BatchCreateResult[requests.Count];
        await Task.WhenAll(chains.Select(async chain =>
        {
            foreach (var index in chain)
            {
                results[index] = await CreateItemAsync(index, requests[index], request.ValidateOnly, actor);
            }
        }));

        var response = new V1.BatchCreateShipmentsResponse();
        response.Results.AddRange(results);
        response.Shipments.AddRange(results.Where(r => r.Shipment is not null).Select(r => r.Shipment));
        LogBatch(results.Length, request.ValidateOnly, Count(Outcome.Created), Count(Outcome.AlreadyPresent),
            Count(Outcome.Valid), Count(Outcome.Invalid), Count(Outcome.RequestIdReused));
        return response;

        int Count(Outcome outcome) => results.Count(r => r.Outcome == outcome);
    }

    /// <summary>
    /// The items grouped into chains run one item after another: the items sharing a request_id are one
    /// shipment, so the first decides and the later ones are answered as its retries, in request order.
    /// The same request_id with a different shipment is the caller's mistake, refused for the whole call.
    /// </summary>
    private static List<List<int>> ChainsByRequestId(IReadOnlyList<V1.CreateShipmentRequest> requests, FieldViolations violations)
    {
        var chains = new List<List<int>>();
        var byRequestId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var requestId = requests[i].RequestId;
            if (requestId.Length == 0)
            {
                chains.Add([i]);
            }
            else if (!byRequestId.TryGetValue(requestId, out var chain))
            {
                chain = [i];
                byRequestId.Add(requestId, chain);
                chains.Add(chain);
            }
            else if (!Equals(requests[chain[0]].Shipment, requests[i].Shipment))
            {
                violations.Add($"requests[{i}].request_id",
                    $"is also the request_id of requests[{chain[0]}], with a different shipment: one request_id stands for one shipment.",
                    "DUPLICATE_REQUEST_ID");
            }
            else
            {
                chain.Add(i);
            }
        }
        return chains;
    }

    /// <summary>One item, as CreateShipment would treat it alone; its refusal becomes its result's status.</summary>
    private async Task<V1.BatchCreateResult> CreateItemAsync(int index, V1.CreateShipmentRequest item, bool validateOnly, Actor actor)
    {
        var result = new V1.BatchCreateResult { Index = index };
        try
        {
            (result.Shipment, result.Outcome) = await CreateOneAsync(item, $"requests[{index}].", validateOnly || item.ValidateOnly, actor);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists && ex.GetRpcStatus() is { } status)
        {
            result.Outcome = ex.StatusCode == StatusCode.AlreadyExists ? Outcome.RequestIdReused : Outcome.Invalid;
            result.Status = status;
        }
        // Anything else (an unreachable database, a shutdown) fails the whole call, to be retried with the same request_ids.
        return result;
    }

    [LoggerMessage(LogLevel.Information,
        "Batch of {Count} creates (validate only: {ValidateOnly}): {Created} created, {AlreadyPresent} already present, {Valid} valid, {Invalid} invalid, {Reused} request_id reused")]
    private partial void LogBatch(int count, bool validateOnly, int created, int alreadyPresent, int valid, int invalid, int reused);
}

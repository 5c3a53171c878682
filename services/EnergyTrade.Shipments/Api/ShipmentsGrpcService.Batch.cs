using EnergyTrade.Contracts;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.ServiceDefaults.Security;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Shipments.Revisions;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// BatchCreateShipments (AIP-233): each item is a CreateShipment of its own — same checks, same answer,
/// same idempotency — so the batch is per item, not atomic: valid items are written, the others reported.
/// ImportShipments answers its chunks the same way (<see cref="CreateChunkAsync"/>).
/// </summary>
public sealed partial class ShipmentsGrpcService
{
    [Authorize(Policy = Scopes.ShipmentsWrite)]
    [EnableRateLimiting(SecurityExtensions.WritesRateLimit)]
    public override async Task<V1.BatchCreateShipmentsResponse> BatchCreateShipments(V1.BatchCreateShipmentsRequest request, ServerCallContext context)
    {
        var requests = request.Requests;
        var violations = new FieldViolations();
        ChunkSize("requests", requests.Count, violations);
        RefuseReusedRequestIds(requests, violations);
        violations.ThrowIfAny();

        var results = await CreateChunkAsync(requests, request.ValidateOnly, Actor.Of(context.GetHttpContext().User), i => $"requests[{i}].");

        var response = new V1.BatchCreateShipmentsResponse();
        response.Results.AddRange(results);
        response.Shipments.AddRange(results.Where(r => r.Shipment is not null).Select(r => r.Shipment));
        LogBatch(results.Length, request.ValidateOnly, Count(Outcome.Created), Count(Outcome.AlreadyPresent),
            Count(Outcome.Valid), Count(Outcome.Invalid), Count(Outcome.RequestIdReused));
        return response;

        int Count(Outcome outcome) => results.Count(r => r.Outcome == outcome);
    }

    private static void ChunkSize(string field, int count, FieldViolations violations)
    {
        if (count is 0 or > Limits.MaxCreatesPerBatch)
        {
            violations.Add(field, $"must hold 1 to {Limits.MaxCreatesPerBatch} creates (got {count}).", count == 0 ? "REQUIRED" : "TOO_MANY");
        }
    }

    /// <summary>
    /// A batch is one call, so the same request_id with two different shipments in it is the caller's
    /// mistake, refused for the whole call; an import's stream is a file's rows, where it is one row's.
    /// </summary>
    private static void RefuseReusedRequestIds(IReadOnlyList<V1.CreateShipmentRequest> requests, FieldViolations violations)
    {
        foreach (var chain in ChainsByRequestId(requests))
        {
            foreach (var index in chain.Skip(1).Where(i => !Equals(requests[chain[0]].Shipment, requests[i].Shipment)))
            {
                violations.Add($"requests[{index}].request_id",
                    $"is also the request_id of requests[{chain[0]}], with a different shipment: one request_id stands for one shipment.",
                    "DUPLICATE_REQUEST_ID");
            }
        }
    }

    /// <summary>
    /// Every item of a batch or an import chunk, as CreateShipment would treat it alone; results in item
    /// order, indexed by position in <paramref name="items"/>. The request_ids already held are looked up
    /// first in one query, so a re-sent chunk costs one round trip rather than one per item. Items run
    /// side by side, so their writes reach the group commit together and share its transactions.
    /// </summary>
    private async Task<V1.BatchCreateResult[]> CreateChunkAsync(IReadOnlyList<V1.CreateShipmentRequest> items, bool validateOnly, Actor actor,
        Func<int, string> prefixOf)
    {
        var held = await HeldRequestIdsAsync(items);
        var results = new V1.BatchCreateResult[items.Count];
        await Task.WhenAll(ChainsByRequestId(items).Select(async chain =>
        {
            var first = results[chain[0]] = await CreateItemAsync(chain[0], items[chain[0]], prefixOf(chain[0]), validateOnly, actor, held);
            foreach (var index in chain.Skip(1))
            {
                results[index] = FollowerResult(index, items[index], items[chain[0]], first, validateOnly || items[index].ValidateOnly)
                    ?? await CreateItemAsync(index, items[index], prefixOf(index), validateOnly, actor, held);
            }
        }));
        return results;
    }

    /// <summary>
    /// The items grouped into chains run one item after another: the items sharing a request_id are one
    /// shipment, so the first decides and the later ones are answered after it, in request order.
    /// </summary>
    private static List<List<int>> ChainsByRequestId(IReadOnlyList<V1.CreateShipmentRequest> requests)
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
            else if (byRequestId.TryGetValue(requestId, out var chain))
            {
                chain.Add(i);
            }
            else
            {
                chain = [i];
                byRequestId.Add(requestId, chain);
                chains.Add(chain);
            }
        }
        return chains;
    }

    /// <summary>
    /// A later item answered from its request_id's first item, when that one holds the request_id (created,
    /// present or, for a later item that is only checked too, valid): the same shipment is ALREADY_PRESENT and
    /// another REQUEST_ID_REUSED, as its create would be. Null when the first item did not take the request_id
    /// (it was invalid, the request_id held another shipment, or it was only checked and this one is a real
    /// create): the later item then runs on its own.
    /// </summary>
    private static V1.BatchCreateResult? FollowerResult(int index, V1.CreateShipmentRequest item, V1.CreateShipmentRequest firstItem,
        V1.BatchCreateResult first, bool checkOnly)
    {
        if (first.Outcome is not (Outcome.Created or Outcome.AlreadyPresent) && !(first.Outcome == Outcome.Valid && checkOnly)) return null;
        if (!Equals(item.Shipment, firstItem.Shipment))
        {
            var status = ReusedByEarlierItem(item.RequestId);
            return new V1.BatchCreateResult { Index = index, Outcome = Outcome.RequestIdReused, Status = status };
        }
        return new V1.BatchCreateResult { Index = index, Outcome = Outcome.AlreadyPresent, Shipment = first.Shipment };
    }

    /// <summary>An item whose request_id an earlier item of the same call or stream holds with another shipment.</summary>
    private static Google.Rpc.Status ReusedByEarlierItem(string requestId) => RpcErrors.AlreadyExists(
        $"request_id '{requestId}' is also the request_id of an earlier item, with a different shipment. Use a new request_id for a new shipment.",
        "REQUEST_ID_REUSED", new Dictionary<string, string> { ["request_id"] = requestId }).GetRpcStatus()!;

    /// <summary>The shipments holding the items' request_ids, by request_id; those not held are absent.</summary>
    private async Task<HeldRequestIds> HeldRequestIdsAsync(IReadOnlyList<V1.CreateShipmentRequest> items)
    {
        var requestIds = items.Select(i => i.RequestId).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (requestIds.Length == 0) return new HeldRequestIds([]);
        await _contextTurn.WaitAsync(CancellationToken.None);
        try
        {
            var holders = await db.Shipments.AsNoTracking().Where(s => requestIds.Contains(s.RequestId!)).ToListAsync(CancellationToken.None);
            return new HeldRequestIds(holders.ToDictionary(s => s.RequestId!, StringComparer.Ordinal));
        }
        finally
        {
            _contextTurn.Release();
        }
    }

    /// <summary>One item; its refusal becomes its result's status.</summary>
    private async Task<V1.BatchCreateResult> CreateItemAsync(int index, V1.CreateShipmentRequest item, string prefix, bool validateOnly, Actor actor,
        HeldRequestIds held)
    {
        var result = new V1.BatchCreateResult { Index = index };
        try
        {
            (result.Shipment, result.Outcome) = await CreateOneAsync(item, prefix, validateOnly || item.ValidateOnly, actor, held);
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

/// <summary>What one look-up found for a chunk's request_ids: the shipment holding each, or nothing.</summary>
internal sealed class HeldRequestIds(Dictionary<string, Shipment> holders)
{
    public Shipment? HolderOf(string requestId) => holders.GetValueOrDefault(requestId);
}

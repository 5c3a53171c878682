using EnergyTrade.Contracts;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Shipments.Republish;
using EnergyTrade.Shipments.Revisions;
using EnergyTrade.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Outcome = EnergyTrade.Shipments.V1.BatchCreateResult.Types.Outcome;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

public sealed partial class ShipmentsGrpcService(
    ShipmentsDbContext db,
    ShipmentWriter writer,
    RepublishOperations republish,
    RevisionHistory revisions,
    TimeProvider time,
    ILogger<ShipmentsGrpcService> logger) : V1.ShipmentService.ShipmentServiceBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;
    private const string ShipmentResource = "energytrade.shipments.v1.Shipment";

    private readonly SemaphoreSlim _contextTurn = new(1, 1);

    [Authorize(Policy = Scopes.ShipmentsWrite)]
    [EnableRateLimiting(SecurityExtensions.WritesRateLimit)]
    public override async Task<V1.Shipment> CreateShipment(V1.CreateShipmentRequest request, ServerCallContext context)
    {
        var (shipment, outcome) = await CreateOneAsync(request, "", request.ValidateOnly, Actor.Of(context.GetHttpContext().User), held: null);
        if (outcome == Outcome.AlreadyPresent && !request.ValidateOnly) LogReplayed(request.RequestId, shipment.Name);
        return shipment;
    }

    /// <summary>
    /// One create, validated and written: the whole of CreateShipment and each item of BatchCreateShipments,
    /// so both answer alike. Field paths in its errors start with <paramref name="prefix"/> ("requests[3]."
    /// in a batch). Invalid content is INVALID_ARGUMENT and a request_id held by different content
    /// ALREADY_EXISTS, both thrown as an <see cref="RpcException"/>; with <paramref name="validateOnly"/>
    /// every check runs and nothing is written. <paramref name="held"/>, when given, is what a look-up
    /// already found for this request_id (a batch's), so none is made here.
    /// </summary>
    private async Task<(V1.Shipment Shipment, Outcome Outcome)> CreateOneAsync(
        V1.CreateShipmentRequest request, string prefix, bool validateOnly, Actor actor, HeldRequestIds? held)
    {
        var violations = new FieldViolations();
        var input = ShipmentInput.Parse(request.Shipment, prefix + "shipment.", violations);
        var requestId = request.RequestId;
        RequestId(requestId, prefix + "request_id", violations);
        violations.ThrowIfAny();

        // No look-up first: the unique index on request_id decides, so the common case (a new
        // request) costs one round trip, and a retry is answered from the conflict below.
        var fingerprint = RequestFingerprint.Of(input);
        var now = Now();
        var shipment = new Shipment
        {
            Id = Guid.CreateVersion7(now),
            Version = 1,
            State = ShipmentState.Active,
            CreateTime = now,
            UpdateTime = now,
            RequestId = requestId.Length > 0 ? requestId : null,
            RequestFingerprint = requestId.Length > 0 ? fingerprint : null,
        };
        shipment.Apply(input);
        var snapshot = shipment.ToSnapshot();
        ShipmentInput.Check(snapshot, prefix + "shipment.", violations);
        violations.ThrowIfAny();

        if (requestId.Length > 0 && held?.HolderOf(requestId) is { } holder)
        {
            return (Replay(holder, requestId, fingerprint), Outcome.AlreadyPresent);
        }
        var created = shipment.ToProto();
        if (validateOnly)
        {
            // The create would answer a held request_id from its holder, so its check does too.
            if (requestId.Length > 0 && held is null && await FindByRequestIdAsync(requestId) is { } earlier)
            {
                return (Replay(earlier, requestId, fingerprint), Outcome.AlreadyPresent);
            }
            // Only a write assigns an identity and times.
            created.Name = "";
            created.CreateTime = null;
            created.UpdateTime = null;
            return (created, Outcome.Valid);
        }

        // The row, its revision and its event commit together or not at all, in a transaction shared
        // with whichever other creates arrived at the same moment.
        var note = new RevisionNote(actor, null, ChangedFields.Between(null, created));
        if (!await writer.CreateAsync(shipment, snapshot, note))
        {
            // A retry, or a concurrent twin, with the same request_id committed first: answer with that shipment.
            var winner = await FindByRequestIdAsync(requestId)
                ?? throw new InvalidOperationException($"request_id {requestId} conflicted but no shipment holds it.");
            return (Replay(winner, requestId, fingerprint), Outcome.AlreadyPresent);
        }

        LogCreated(shipment.Name, shipment.ExporterCountry, shipment.ImporterCountry, shipment.OriginCountry, shipment.Barrels, shipment.LoadDate);
        return (created, Outcome.Created);
    }

    [Authorize(Policy = Scopes.ShipmentsRead)]
    public override async Task<V1.Shipment> GetShipment(V1.GetShipmentRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var id = ParseName(request.Name, "name", violations);
        violations.ThrowIfAny();
        var shipment = await db.Shipments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, context.CancellationToken)
            ?? throw RpcErrors.NotFound(ShipmentResource, request.Name);
        return shipment.ToProto();
    }

    [Authorize(Policy = Scopes.ShipmentsRead)]
    public override async Task<V1.ListShipmentsResponse> ListShipments(V1.ListShipmentsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var pageSize = PageSize(request.PageSize, violations);

        var filters = ShipmentFilter.Parse(request.ExporterCountry, request.ImporterCountry, request.OriginCountry,
            request.FirstLoadDate, request.LastLoadDate, violations);
        var query = filters.Apply(db.Shipments.AsNoTracking());
        var filter = filters.ToString();
        if (request.PageToken.Length > 0)
        {
            if (!PageToken.TryDecode(request.PageToken, out var token) || token!.Filter != filter)
            {
                violations.Add("page_token", "is not a token returned by ListShipments for these same filters.", "INVALID_PAGE_TOKEN");
            }
            else
            {
                query = ShipmentOrder.After(query, token.LoadDate, token.Id);
            }
        }
        violations.ThrowIfAny();

        var page = await ShipmentOrder.Newest(query)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);
        var response = new V1.ListShipmentsResponse();
        response.Shipments.AddRange(page.Take(pageSize).Select(s => s.ToProto()));
        if (page.Count > pageSize)
        {
            var lastRow = page[pageSize - 1];
            response.NextPageToken = new PageToken(lastRow.LoadDate, lastRow.Id, filter).Encode();
        }
        return response;
    }

    /// <summary>The id in a shipment's resource name, "shipments/{uuid}"; anything else is a violation on <paramref name="field"/>.</summary>
    private static Guid ParseName(string name, string field, FieldViolations violations)
    {
        if (!ShipmentNames.TryParse(name, out var id))
        {
            violations.Add(field, $"must look like shipments/{{uuid}} (got '{Truncate(name)}').", "INVALID_NAME");
        }
        return id;
    }

    /// <summary>AIP-158 for every list: 0 is the default, above the maximum is the maximum, negative is refused.</summary>
    private static int PageSize(int requested, FieldViolations violations)
    {
        if (requested < 0) violations.Add("page_size", "must not be negative.", "OUT_OF_RANGE");
        return requested == 0 ? DefaultPageSize : Math.Min(requested, MaxPageSize);
    }

    /// <summary>The caller's idempotency key (AIP-155), reported on <paramref name="field"/>: optional, at most 128 characters, no control characters.</summary>
    private static void RequestId(string requestId, string field, FieldViolations violations)
    {
        if (requestId.Length > Limits.RequestIdLength)
        {
            violations.Add(field, $"must be at most {Limits.RequestIdLength} characters (got {requestId.Length}).", "TOO_LONG");
        }
        else if (ShipmentRules.HasControlCharacters(requestId))
        {
            violations.Add(field, "must not contain control characters (U+0000–U+001F, U+007F–U+009F).", "INVALID_CHARACTERS");
        }
    }

    /// <summary>
    /// The shipment holding <paramref name="requestId"/>. A batch's items run side by side and share this
    /// call's context, which takes one query at a time, so they take turns here.
    /// </summary>
    private async Task<Shipment?> FindByRequestIdAsync(string requestId)
    {
        await _contextTurn.WaitAsync(CancellationToken.None);
        try
        {
            return await db.Shipments.AsNoTracking().FirstOrDefaultAsync(s => s.RequestId == requestId, CancellationToken.None);
        }
        finally
        {
            _contextTurn.Release();
        }
    }

    private V1.Shipment Replay(Shipment earlier, string requestId, string fingerprint)
    {
        if (earlier.RequestFingerprint != fingerprint)
        {
            throw RpcErrors.AlreadyExists(
                $"request_id '{requestId}' was already used for {earlier.Name} with different content. Use a new request_id for a new shipment.",
                "REQUEST_ID_REUSED",
                new Dictionary<string, string> { ["request_id"] = requestId, ["shipment"] = earlier.Name });
        }
        return earlier.ToProto();
    }

    /// <summary>PostgreSQL keeps microseconds; truncating here makes the event snapshot equal the stored row.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    // Debug, not Information: one line per create contends on the console logger's lock at
    // thousands of creates per second, and the row itself is the record.
    [LoggerMessage(LogLevel.Debug, "Recorded {Shipment}: {Exporter}->{Importer} origin {Origin}, {Barrels} bbl loaded {LoadDate}")]
    private partial void LogCreated(string shipment, string exporter, string importer, string? origin, decimal barrels, DateOnly loadDate);

    [LoggerMessage(LogLevel.Information, "Retry of request {RequestId} answered with existing {Shipment}; nothing published")]
    private partial void LogReplayed(string requestId, string shipment);
}

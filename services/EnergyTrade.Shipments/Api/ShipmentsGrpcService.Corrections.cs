using EnergyTrade.Contracts;
using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Data;
using EnergyTrade.Shipments.Revisions;
using Google.Protobuf.WellKnownTypes;
using EnergyTrade.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>Amendments and cancellations: each bumps the version, records the revision and publishes the full new snapshot.</summary>
public sealed partial class ShipmentsGrpcService
{
    private static readonly FieldMask.MergeOptions ReplaceFields = new()
    {
        ReplaceMessageFields = true,
        ReplacePrimitiveFields = true,
        ReplaceRepeatedFields = true,
    };

    [Authorize(Policy = Scopes.ShipmentsWrite)]
    [EnableRateLimiting(SecurityExtensions.WritesRateLimit)]
    public override async Task<V1.Shipment> UpdateShipment(V1.UpdateShipmentRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var patch = request.Shipment ?? new V1.Shipment();
        var id = ParseName(patch.Name, "shipment.name", violations);
        var mask = UpdateMask.Resolve(request.UpdateMask, patch, violations);
        var reason = Reason(request.Reason, violations);
        violations.ThrowIfAny();

        var shipment = await LoadForChangeAsync(id, patch.Name, patch.Version, context.CancellationToken);
        if (shipment.State == ShipmentState.Cancelled)
        {
            throw RpcErrors.FailedPrecondition($"{shipment.Name} is cancelled and can no longer be updated.", "SHIPMENT_CANCELLED", shipment.Name);
        }

        var before = shipment.ToProto();
        var merged = patch;
        if (mask is not null)
        {
            merged = before.Clone();
            mask.Merge(patch, merged, ReplaceFields);
        }
        var input = ShipmentInput.Parse(merged, "shipment.", violations);
        violations.ThrowIfAny();
        // Merged from the stored shipment, the factor stays as recorded unless the mask replaced it; and
        // while it is the same figure it stays what it was, given by a caller or the grade's standard.
        if (input.BarrelsPerTonne == shipment.BarrelsPerTonne) input = input with { BarrelsPerTonneGiven = shipment.BarrelsPerTonneGiven };

        var current = ShipmentInput.Parse(before, "", new FieldViolations()) with { BarrelsPerTonneGiven = shipment.BarrelsPerTonneGiven };
        if (input == current)
        {
            // Nothing changes: no new version and no event, so a repeated amendment is harmless.
            return shipment.ToProto();
        }

        var previousBarrels = shipment.Barrels;
        shipment.Apply(input);
        ShipmentInput.Check(shipment.ToSnapshot(), "shipment.", violations);
        violations.ThrowIfAny();
        if (request.ValidateOnly)
        {
            // AIP-163: what the update would store, with the stored version, the one to send with the real update.
            return shipment.ToProto();
        }
        await SaveChangeAsync(shipment, ShipmentChangeKind.Updated, Note(context, reason, before, shipment));
        LogUpdated(shipment.Name, shipment.Version, previousBarrels, shipment.Barrels);
        return shipment.ToProto();
    }

    [Authorize(Policy = Scopes.ShipmentsWrite)]
    [EnableRateLimiting(SecurityExtensions.WritesRateLimit)]
    public override async Task<V1.Shipment> CancelShipment(V1.CancelShipmentRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var id = ParseName(request.Name, "name", violations);
        var reason = Reason(request.Reason, violations);
        violations.ThrowIfAny();

        var shipment = await db.Shipments.FirstOrDefaultAsync(s => s.Id == id, context.CancellationToken)
            ?? throw RpcErrors.NotFound(ShipmentResource, request.Name);
        if (shipment.State == ShipmentState.Cancelled)
        {
            // Cancelling twice is a retry, not an error (AIP-164 style idempotence).
            return shipment.ToProto();
        }
        CheckVersion(shipment, request.Version);

        var before = shipment.ToProto();
        shipment.State = ShipmentState.Cancelled;
        shipment.CancelReason = reason;
        await SaveChangeAsync(shipment, ShipmentChangeKind.Cancelled, Note(context, reason, before, shipment));
        LogCancelled(shipment.Name, shipment.Version, shipment.CancelReason);
        return shipment.ToProto();
    }

    private async Task<Shipment> LoadForChangeAsync(Guid id, string name, long expectedVersion, CancellationToken cancellationToken)
    {
        var shipment = await db.Shipments.FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw RpcErrors.NotFound(ShipmentResource, name);
        CheckVersion(shipment, expectedVersion);
        return shipment;
    }

    private static void CheckVersion(Shipment shipment, long expectedVersion)
    {
        if (expectedVersion != 0 && expectedVersion != shipment.Version)
        {
            throw VersionConflict(shipment.Name, expectedVersion, shipment.Version);
        }
    }

    /// <summary>Why a shipment is amended or cancelled: optional, at most 512 characters, no control characters; stored trimmed.</summary>
    private static string? Reason(string reason, FieldViolations violations)
    {
        if (ShipmentRules.Text(SnapshotField.CancelReason, reason, required: false, Limits.ReasonLength) is { } problem)
        {
            violations.Add("reason", problem.Description, problem.Reason);
        }
        var trimmed = reason.Trim();
        return trimmed.Length > 0 ? trimmed : null;
    }

    /// <summary>The revision's note for a change from <paramref name="before"/> to the shipment as it now is, made by the call's caller.</summary>
    private static RevisionNote Note(ServerCallContext context, string? reason, V1.Shipment before, Shipment after) =>
        new(Actor.Of(context.GetHttpContext().User), reason, ChangedFields.Between(before, after.ToProto()));

    /// <summary>Commits the change as the shipment's next version, with its revision and event.</summary>
    private async Task SaveChangeAsync(Shipment shipment, ShipmentChangeKind kind, RevisionNote note)
    {
        var readVersion = shipment.Version;
        try
        {
            await writer.SaveChangeAsync(shipment, kind, Now(), note);
        }
        catch (ConcurrentChangeException)
        {
            // Another change committed between our read and our write: the version we checked is stale.
            throw VersionConflict(shipment.Name, readVersion, null);
        }
    }

    private static RpcException VersionConflict(string name, long expected, long? actual) => RpcErrors.Aborted(
        actual is { } v
            ? $"{name} is at version {v}, not {expected}: it changed since you read it. Get it again and re-apply your change."
            : $"{name} was changed concurrently. Get it again and re-apply your change.",
        "VERSION_MISMATCH",
        new Dictionary<string, string> { ["shipment"] = name, ["expected_version"] = expected.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [LoggerMessage(LogLevel.Information, "Updated {Shipment} to v{Version}: {PreviousBarrels} -> {Barrels} bbl")]
    private partial void LogUpdated(string shipment, long version, decimal previousBarrels, decimal barrels);

    [LoggerMessage(LogLevel.Information, "Cancelled {Shipment} at v{Version}: {Reason}")]
    private partial void LogCancelled(string shipment, long version, string? reason);
}

using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Republish;
using EnergyTrade.Shipments.Revisions;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Api;

/// <summary>Republishing, the admin operation that rebuilds Trade: started here, carried out by RepublishWorker.</summary>
public sealed partial class ShipmentsGrpcService
{
    [Authorize(Policy = Scopes.ShipmentsAdmin)]
    public override async Task<Google.LongRunning.Operation> StartShipmentRepublish(V1.RepublishShipmentsRequest request, ServerCallContext context)
    {
        var operation = await StartRepublishAsync(request, context);
        return RepublishOperations.ToProto(operation);
    }

    /// <summary>Today's clients' synchronous form: the same operation, waited for (the operation outlives a call whose deadline passes).</summary>
    [Authorize(Policy = Scopes.ShipmentsAdmin)]
    [Obsolete("Deprecated in the proto: StartShipmentRepublish returns at once and reports progress.")]
    public override async Task<V1.RepublishShipmentsResponse> RepublishShipments(V1.RepublishShipmentsRequest request, ServerCallContext context)
    {
        var started = await StartRepublishAsync(request, context);
        // Until done, or until the caller's deadline cancels the wait (the operation goes on).
        var operation = await republish.WaitAsync(started.Id, wait: null, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Aborted, $"{started.Name} was deleted while it ran."));
        return operation.State switch
        {
            OperationState.Succeeded => new V1.RepublishShipmentsResponse { RepublishedCount = operation.RepublishedCount },
            OperationState.Cancelled => throw new RpcException(new Status(StatusCode.Cancelled, $"{operation.Name} was cancelled after {operation.RepublishedCount} shipments.")),
            _ => throw new RpcException(new Status(StatusCode.Internal, RepublishOperations.ToProto(operation).Error?.Message ?? $"{operation.Name} did not finish.")),
        };
    }

    private async Task<RepublishOperation> StartRepublishAsync(V1.RepublishShipmentsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var filters = ShipmentFilter.Parse(request, violations);
        violations.ThrowIfAny();
        var subject = Actor.Of(context.GetHttpContext().User).Subject;
        var operation = await republish.StartAsync(request, filters, subject, context.CancellationToken);
        LogRepublishStarted(operation.Name, operation.TotalCount, subject);
        return operation;
    }

    [LoggerMessage(LogLevel.Information, "Republish {Operation} started by {Subject}: about {Total} shipments")]
    private partial void LogRepublishStarted(string operation, long total, string? subject);
}

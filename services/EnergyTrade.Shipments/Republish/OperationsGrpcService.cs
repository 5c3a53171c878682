using EnergyTrade.Contracts.Security;
using EnergyTrade.ServiceDefaults;
using Google.LongRunning;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace EnergyTrade.Shipments.Republish;

/// <summary>google.longrunning.Operations for the operations Shipments starts (republishes). Needs shipments:admin.</summary>
[Authorize(Policy = Scopes.ShipmentsAdmin)]
public sealed class OperationsGrpcService(RepublishOperations operations) : Operations.OperationsBase
{
    private const string OperationResource = "google.longrunning.Operation";
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;
    /// <summary>A wait without a timeout still ends, so a client never holds a call open for ever.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    public override async Task<Operation> GetOperation(GetOperationRequest request, ServerCallContext context) =>
        RepublishOperations.ToProto(await FindAsync(request.Name, context));

    public override async Task<ListOperationsResponse> ListOperations(ListOperationsRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (request.Name is not ("" or "operations")) violations.Add("name", "must be \"operations\" (or empty).", "INVALID_NAME");
        if (request.Filter.Length > 0) violations.Add("filter", "is not supported: leave it empty.", "UNSUPPORTED");
        if (request.PageSize < 0) violations.Add("page_size", "must not be negative.", "OUT_OF_RANGE");
        Cursor? after = null;
        if (request.PageToken.Length > 0 && !PageTokens.TryDecode(request.PageToken, out after))
        {
            violations.Add("page_token", "is not a token returned by ListOperations.", "INVALID_PAGE_TOKEN");
        }
        violations.ThrowIfAny();

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var page = await operations.ListAsync(pageSize + 1, after is null ? null : (after.CreateTime, after.Id), context.CancellationToken);
        var response = new ListOperationsResponse();
        response.Operations.AddRange(page.Take(pageSize).Select(RepublishOperations.ToProto));
        if (page.Count > pageSize) response.NextPageToken = PageTokens.Encode(new Cursor(page[pageSize - 1].CreateTime, page[pageSize - 1].Id));
        return response;
    }

    public override async Task<Empty> CancelOperation(CancelOperationRequest request, ServerCallContext context)
    {
        var operation = await FindAsync(request.Name, context);
        await operations.CancelAsync(operation.Id, context.CancellationToken);
        return new Empty();
    }

    public override async Task<Empty> DeleteOperation(DeleteOperationRequest request, ServerCallContext context)
    {
        var operation = await FindAsync(request.Name, context);
        if (!operation.Done)
        {
            throw RpcErrors.FailedPrecondition($"{operation.Name} is still running: cancel it first, or wait for it to finish.", "OPERATION_RUNNING", operation.Name);
        }
        await operations.DeleteAsync(operation.Id, context.CancellationToken);
        return new Empty();
    }

    public override async Task<Operation> WaitOperation(WaitOperationRequest request, ServerCallContext context)
    {
        var operation = await FindAsync(request.Name, context);
        var wait = request.Timeout is { } t ? t.ToTimeSpan() : MaxWait;
        if (wait < TimeSpan.Zero || wait > MaxWait) wait = MaxWait;
        var latest = await operations.WaitAsync(operation.Id, wait, context.CancellationToken)
            ?? throw RpcErrors.NotFound(OperationResource, request.Name);
        return RepublishOperations.ToProto(latest);
    }

    private async Task<RepublishOperation> FindAsync(string name, ServerCallContext context)
    {
        if (!RepublishOperations.TryParse(name, out _))
        {
            var violations = new FieldViolations();
            violations.Add("name", "must look like operations/{uuid}.", "INVALID_NAME");
            violations.ThrowIfAny();
        }
        return await operations.FindAsync(name, context.CancellationToken) ?? throw RpcErrors.NotFound(OperationResource, name);
    }

    /// <summary>Where a ListOperations page ended.</summary>
    private sealed record Cursor(DateTimeOffset CreateTime, Guid Id);
}

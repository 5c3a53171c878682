using EnergyTrade.ServiceDefaults;
using EnergyTrade.Shipments.Api;
using EnergyTrade.Shipments.Data;
using Google.LongRunning;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using V1 = EnergyTrade.Shipments.V1;

namespace EnergyTrade.Shipments.Republish;

/// <summary>Starting, reading, cancelling and forgetting republish operations; <see cref="RepublishWorker"/> carries them out.</summary>
public sealed class RepublishOperations(ShipmentsDbContext db, RepublishSignal signal, TimeProvider time)
{
    private const string Prefix = "operations/";

    /// <summary>Records a new running operation (the request already validated) and wakes the worker.</summary>
    public async Task<RepublishOperation> StartAsync(V1.RepublishShipmentsRequest request, ShipmentFilter filters, string? subject, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var operation = new RepublishOperation
        {
            Id = Guid.CreateVersion7(now),
            State = OperationState.Running,
            Request = request.ToByteArray(),
            TotalCount = await filters.Apply(db.Shipments.AsNoTracking()).LongCountAsync(cancellationToken),
            CreatedBy = subject is { Length: <= 256 } ? subject : null,
            CreateTime = now,
            UpdateTime = now,
        };
        db.RepublishOperations.Add(operation);
        await db.SaveChangesAsync(CancellationToken.None);
        signal.Notify();
        return operation;
    }

    public async Task<RepublishOperation?> FindAsync(string name, CancellationToken cancellationToken) =>
        TryParse(name, out var id) ? await db.RepublishOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken) : null;

    /// <summary>Newest first, after the given (create_time, id).</summary>
    public Task<List<RepublishOperation>> ListAsync(int limit, (DateTimeOffset CreateTime, Guid Id)? after, CancellationToken cancellationToken)
    {
        var query = db.RepublishOperations.AsNoTracking();
        if (after is { } a)
        {
            query = query.Where(o => EF.Functions.LessThan(ValueTuple.Create(o.CreateTime, o.Id), ValueTuple.Create(a.CreateTime, a.Id)));
        }
        return query.OrderByDescending(o => o.CreateTime).ThenByDescending(o => o.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Stops a running operation. The update waits for a page being written to commit, so what the
    /// operation reports afterwards is exactly what was written.
    /// </summary>
    public async Task CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.RepublishOperations.Where(o => o.Id == id && o.State == OperationState.Running).ExecuteUpdateAsync(u => u
            .SetProperty(o => o.State, OperationState.Cancelled)
            .SetProperty(o => o.CancelRequested, true)
            .SetProperty(o => o.EndTime, now)
            .SetProperty(o => o.UpdateTime, now), cancellationToken);
    }

    public Task<int> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        db.RepublishOperations.Where(o => o.Id == id && o.State != OperationState.Running).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Polls until the operation is done or the wait (unbounded when null) is over; null when it no longer exists.</summary>
    public async Task<RepublishOperation?> WaitAsync(Guid id, TimeSpan? wait, CancellationToken cancellationToken)
    {
        var until = wait is { } w ? time.GetUtcNow() + w : DateTimeOffset.MaxValue;
        while (true)
        {
            var operation = await db.RepublishOperations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
            if (operation is null || operation.Done || time.GetUtcNow() >= until) return operation;
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }

    public static bool TryParse(string name, out Guid id)
    {
        id = Guid.Empty;
        return name.StartsWith(Prefix, StringComparison.Ordinal) && Guid.TryParseExact(name[Prefix.Length..], "D", out id);
    }

    /// <summary>The operation as AIP-151 shows it: progress as metadata, then the response or the error.</summary>
    public static Operation ToProto(RepublishOperation o)
    {
        var metadata = new V1.RepublishShipmentsMetadata
        {
            Request = V1.RepublishShipmentsRequest.Parser.ParseFrom(o.Request),
            TotalCount = o.TotalCount,
            RepublishedCount = o.RepublishedCount,
            CreateTime = ProtoConvert.ToTimestamp(o.CreateTime),
            UpdateTime = ProtoConvert.ToTimestamp(o.UpdateTime),
            CancelRequested = o.CancelRequested,
        };
        if (o.EndTime is { } end) metadata.EndTime = ProtoConvert.ToTimestamp(end);
        var proto = new Operation { Name = o.Name, Metadata = Any.Pack(metadata), Done = o.Done };
        switch (o.State)
        {
            case OperationState.Succeeded:
                proto.Response = Any.Pack(new V1.RepublishShipmentsResponse { RepublishedCount = o.RepublishedCount });
                break;
            case OperationState.Cancelled:
                proto.Error = new Google.Rpc.Status { Code = (int)Google.Rpc.Code.Cancelled, Message = $"Cancelled after {o.RepublishedCount} shipments were republished." };
                break;
            case OperationState.Failed:
                proto.Error = new Google.Rpc.Status
                {
                    Code = (int)Google.Rpc.Code.Internal,
                    Message = $"Failed after {o.RepublishedCount} shipments were republished: {o.Error}. Start a new republish once the cause is fixed; versions Trade already holds are ignored.",
                };
                break;
        }
        return proto;
    }
}

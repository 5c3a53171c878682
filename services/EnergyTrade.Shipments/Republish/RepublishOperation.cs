namespace EnergyTrade.Shipments.Republish;

public enum OperationState
{
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}

/// <summary>
/// One republish, kept in the database so that any replica can carry it on, page by page, and so
/// that it resumes after a restart: each page's outbox rows and the cursor commit together.
/// </summary>
public sealed class RepublishOperation
{
    public Guid Id { get; set; }
    public OperationState State { get; set; }
    /// <summary>The RepublishShipmentsRequest it was started with, as protobuf bytes.</summary>
    public required byte[] Request { get; set; }
    public long TotalCount { get; set; }
    public long RepublishedCount { get; set; }
    /// <summary>The id of the last shipment the walk has passed: the next page starts after it.</summary>
    public Guid? Cursor { get; set; }
    /// <summary>
    /// Its load date, when the walk follows the load-date index (the request bounds the load date);
    /// null when it follows the primary key.
    /// </summary>
    public DateOnly? CursorLoadDate { get; set; }
    public string? Error { get; set; }
    public bool CancelRequested { get; set; }
    /// <summary>Who started it: the token's subject.</summary>
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreateTime { get; set; }
    public DateTimeOffset UpdateTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }

    public string Name => $"operations/{Id}";

    public bool Done => State != OperationState.Running;
}

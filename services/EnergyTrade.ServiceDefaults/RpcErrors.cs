using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace EnergyTrade.ServiceDefaults;

/// <summary>
/// Builds RpcExceptions that carry google.rpc.Status details (AIP-193), so any gRPC client,
/// in any language, can read the reason and each field violation.
/// </summary>
public static class RpcErrors
{
    public const string Domain = "energytrade.io";

    public static RpcException InvalidArgument(IReadOnlyCollection<BadRequest.Types.FieldViolation> violations)
    {
        var summary = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        return Build(Code.InvalidArgument, $"The request is invalid: {summary}", "INVALID_ARGUMENT", metadata: null, badRequest);
    }

    public static RpcException NotFound(string resourceType, string name) =>
        Build(Code.NotFound, $"{resourceType} '{name}' does not exist.", "NOT_FOUND",
            new Dictionary<string, string> { ["resource_name"] = name },
            new ResourceInfo { ResourceType = resourceType, ResourceName = name, Description = "No such resource." });

    public static RpcException AlreadyExists(string message, string reason, IDictionary<string, string> metadata) =>
        Build(Code.AlreadyExists, message, reason, metadata);

    /// <summary>A concurrency conflict: the client should re-read and retry (AIP-154).</summary>
    public static RpcException Aborted(string message, string reason, IDictionary<string, string> metadata) =>
        Build(Code.Aborted, message, reason, metadata);

    /// <summary>The request is valid but the resource's state forbids it; retrying will not help.</summary>
    public static RpcException FailedPrecondition(string message, string reason, string subject, IDictionary<string, string>? metadata = null)
    {
        var failure = new PreconditionFailure();
        failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = reason, Subject = subject, Description = message });
        return Build(Code.FailedPrecondition, message, reason, metadata, failure);
    }

    /// <summary>A valid request whose answer lies beyond what the API can represent.</summary>
    public static RpcException OutOfRange(string message, string reason) => Build(Code.OutOfRange, message, reason, metadata: null);

    public static RpcException Unavailable(string message, string reason) =>
        Build(Code.Unavailable, message, reason, metadata: null,
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });

    public static RpcException Internal(string traceId) =>
        Build(Code.Internal, $"Internal error. Quote trace id {traceId} when reporting it.", "INTERNAL",
            new Dictionary<string, string> { ["trace_id"] = traceId });

    public static BadRequest.Types.FieldViolation Violation(string field, string description, string? reason = null) =>
        new() { Field = field, Description = description, Reason = reason ?? "" };

    private static RpcException Build(Code code, string message, string reason, IDictionary<string, string>? metadata, params Google.Protobuf.IMessage[] details)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        if (metadata is not null) info.Metadata.Add(metadata);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(info));
        foreach (var detail in details) status.Details.Add(Any.Pack(detail));
        return status.ToRpcException();
    }
}

using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>Errors shaped like the services' (google.rpc.Status with details, AIP-193).</summary>
public static class Rpc
{
    public static RpcException InvalidArgument(params (string Field, string Description)[] violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "The request is invalid: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
        };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = "INVALID_ARGUMENT", Domain = "energytrade.io" }));
        status.Details.Add(Any.Pack(badRequest));
        return status.ToRpcException();
    }

    public static RpcException AlreadyExists(string requestId, string existing)
    {
        var info = new ErrorInfo { Reason = "REQUEST_ID_REUSED", Domain = "energytrade.io" };
        info.Metadata.Add("request_id", requestId);
        info.Metadata.Add("shipment", existing);
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.AlreadyExists,
            Message = $"request_id '{requestId}' was already used for {existing} with different content. Use a new request_id for a new shipment.",
        };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    /// <summary>What Grpc.Net.Client throws when nothing listens at the address.</summary>
    public static RpcException ConnectionRefused() =>
        new(new global::Grpc.Core.Status(StatusCode.Unavailable, "Error connecting to subchannel.",
            new HttpRequestException("Connection refused (localhost:5101)", new System.Net.Sockets.SocketException(111))));

    /// <summary>The service is up but its database is not: UNAVAILABLE with RetryInfo.</summary>
    public static RpcException DatabaseUnavailable()
    {
        var status = new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = "The shipments database is unreachable." };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }));
        return status.ToRpcException();
    }

    /// <summary>ABORTED as UpdateShipment/CancelShipment answer a stale version.</summary>
    public static RpcException VersionMismatch(string name, long expected, long actual)
    {
        var info = new ErrorInfo { Reason = "VERSION_MISMATCH", Domain = "energytrade.io" };
        info.Metadata.Add("shipment", name);
        info.Metadata.Add("expected_version", expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.Aborted,
            Message = $"{name} is at version {actual}, not {expected}: it changed since you read it. Get it again and re-apply your change.",
        };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    /// <summary>FAILED_PRECONDITION as UpdateShipment answers for a cancelled shipment.</summary>
    public static RpcException Cancelled(string name)
    {
        var message = $"{name} is cancelled and can no longer be updated.";
        var precondition = new PreconditionFailure();
        precondition.Violations.Add(new PreconditionFailure.Types.Violation { Type = "SHIPMENT_CANCELLED", Subject = name, Description = message });
        var status = new Google.Rpc.Status { Code = (int)Code.FailedPrecondition, Message = message };
        status.Details.Add(Any.Pack(precondition));
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = "SHIPMENT_CANCELLED", Domain = "energytrade.io" }));
        return status.ToRpcException();
    }
}

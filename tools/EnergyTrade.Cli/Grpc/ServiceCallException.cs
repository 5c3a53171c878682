using EnergyTrade.Cli.Auth;
using Grpc.Core;

namespace EnergyTrade.Cli.Grpc;

/// <summary>A call that failed for good (after any retries), with what is needed to explain it to a person.</summary>
public sealed class ServiceCallException(ServiceEndpoint endpoint, TimeSpan timeout, int attempts, RpcException error, bool writes = false,
    string? outcomeUnknown = null)
    : Exception($"{endpoint}: {error.Status.StatusCode}: {error.Status.Detail}", error)
{
    public ServiceEndpoint Endpoint { get; } = endpoint;
    public TimeSpan Timeout { get; } = timeout;
    public int Attempts { get; } = attempts;
    public RpcException Error { get; } = error;
    public StatusCode StatusCode => Error.StatusCode;
    /// <summary>Whether the call would have changed something, so a lost answer leaves its outcome unknown.</summary>
    public bool Writes { get; } = writes;
    /// <summary>What a person should know when a write's answer was lost (null: the create's wording).</summary>
    public string? OutcomeUnknown { get; } = outcomeUnknown;
    /// <summary>What the call carried, added by the command for a refusal (UNAUTHENTICATED, PERMISSION_DENIED) so the message can name it.</summary>
    public Credentials? Credentials { get; set; }
}

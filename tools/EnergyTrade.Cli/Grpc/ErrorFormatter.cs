using System.Globalization;
using EnergyTrade.Cli.Auth;
using Google.Rpc;
using Grpc.Core;

namespace EnergyTrade.Cli.Grpc;

/// <summary>
/// Turns a failed call into sentences a person can act on. The details come from the google.rpc.Status
/// the services attach (AIP-193): every field violation of a BadRequest is listed, not just the first.
/// </summary>
public static class ErrorFormatter
{
    public const string UpScript = "scripts/up.sh";

    /// <summary>What a deadline on a create means: the shipment may exist, and its request_id makes a repeat safe.</summary>
    public const string CreateOutcomeUnknown = "The shipment may have been recorded all the same; repeating the command with the same request_id is safe.";

    public static FormattedError Format(ServiceCallException failure, Func<string, string>? fieldName = null) =>
        Format(failure.Error, failure.Endpoint, failure.Timeout, fieldName, failure.Writes, failure.OutcomeUnknown, failure.Credentials);

    /// <param name="fieldName">Renames field paths, e.g. to CSV column names; identity when null.</param>
    /// <param name="writes">Whether the call would have changed something (its outcome is unknown after a deadline).</param>
    /// <param name="outcomeUnknown">What to tell a person when a write's answer was lost; <see cref="CreateOutcomeUnknown"/> when null.</param>
    /// <param name="credentials">What the call carried, named when the service refuses it.</param>
    public static FormattedError Format(RpcException error, ServiceEndpoint endpoint, TimeSpan timeout, Func<string, string>? fieldName = null, bool writes = false,
        string? outcomeUnknown = null, Credentials? credentials = null)
    {
        fieldName ??= f => f;
        // Null when the failure never reached the service (no details travelled with it).
        var status = TryGetStatus(error);
        var message = Sentence(status?.Message is { Length: > 0 } m ? m : error.Status.Detail);
        var violations = Violations(status);
        var info = status?.GetDetail<ErrorInfo>();
        var url = endpoint.Url.ToString().TrimEnd('/');

        var details = new List<string>();
        details.AddRange(violations.Select(v => $"{fieldName(v.Field)}: {v.Description}"));
        if (status?.GetDetail<PreconditionFailure>() is { } precondition)
        {
            details.AddRange(precondition.Violations.Select(v => Sentence(v.Description)).Where(d => d != message));
        }

        var summary = error.StatusCode switch
        {
            StatusCode.InvalidArgument when violations.Count > 0 =>
                $"{endpoint.Name} rejected the request: {Plural(violations.Count, "field is", "fields are")} invalid.",
            StatusCode.InvalidArgument => $"{endpoint.Name} rejected the request as invalid: {message}",
            StatusCode.NotFound => message,
            StatusCode.AlreadyExists when info?.Metadata.TryGetValue("shipment", out var existing) == true && !message.Contains(existing, StringComparison.Ordinal) =>
                $"{message} (The earlier shipment is {existing}.)",
            StatusCode.AlreadyExists => message,
            StatusCode.Unavailable when status is null =>
                $"Could not reach the {endpoint.Name} service at {url}{Cause(error)}. It may not be running: {UpScript} starts it, " +
                $"or point --{endpoint.Name.ToLowerInvariant()}-url at where it runs." + TlsHint(endpoint),
            StatusCode.Unavailable => $"The {endpoint.Name} service at {url} is unavailable: {message} Nothing was changed; trying again later is safe.",
            StatusCode.DeadlineExceeded =>
                $"{endpoint.Name} at {url} did not answer within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s. " +
                "Raise --timeout, or check the service's health." +
                (writes ? " " + (outcomeUnknown ?? CreateOutcomeUnknown) : ""),
            StatusCode.Unauthenticated => Unauthenticated(endpoint, url, credentials),
            StatusCode.PermissionDenied =>
                $"{endpoint.Name} at {url} refused the call: the token does not carry the scope it needs " +
                "(shipments:write to record, amend or cancel shipments, shipments:read to read them, trade:read for trade figures, " +
                "shipments:admin to republish, trade:admin to dismiss refused events)." +
                (credentials is null || credentials.Source == CredentialSource.None ? "" : $" The token is that of {credentials.Summary}.") +
                " Sign in as someone allowed to (energytrade login), or use a client that has the scope.",
            // The services' messages say what happened and what to do (re-read and re-apply; a cancelled shipment stays so).
            StatusCode.Aborted => message,
            StatusCode.FailedPrecondition => message,
            StatusCode.ResourceExhausted => $"{endpoint.Name} refused the request: {message}",
            StatusCode.Internal when status is null => $"The call to {endpoint.Name} at {url} failed: {message}" + TlsHint(endpoint),
            StatusCode.Internal => $"{endpoint.Name} failed with an internal error: {message}",
            StatusCode.Cancelled => "Cancelled.",
            _ => $"{endpoint.Name} at {url} answered {error.StatusCode}: {message}",
        };
        return new FormattedError(summary, details);
    }

    /// <summary>Over https a failure before any answer may be the handshake: say which files decide it.</summary>
    private static string TlsHint(ServiceEndpoint endpoint) => endpoint.Url.Scheme == Uri.UriSchemeHttps
        ? " Over https, the service's certificate must come from a CA the system or --ca-file trusts, and a service that requires mutual TLS " +
          "needs --client-certificate (and --client-key)."
        : "";

    private static string Unauthenticated(ServiceEndpoint endpoint, string url, Credentials? credentials)
    {
        const string HowToSignIn = "Sign in with energytrade login; for scripts, set ENERGYTRADE_CLIENT_ID and ENERGYTRADE_CLIENT_SECRET " +
            "(with ENERGYTRADE_AUTHORITY), or ENERGYTRADE_TOKEN to a bearer token.";
        if (credentials is null || credentials.Source == CredentialSource.None)
        {
            return $"{endpoint.Name} at {url} refused the call because it carried no valid token. {HowToSignIn}";
        }
        if (credentials.Source == CredentialSource.DevelopmentKey)
        {
            return $"{endpoint.Name} at {url} refused the token minted with {TokenSource.SigningKeyVariable}: services take such tokens only in " +
                $"local-development mode, with the same key ({UpScript} keeps it as SIGNING_KEY in .run/up/secrets.env). Services that trust an " +
                "identity provider need its tokens: unset it and sign in with energytrade login.";
        }
        return $"{endpoint.Name} at {url} refused the token of {credentials.Summary}: it may have expired, or come from an identity provider " +
            $"the service does not trust{(credentials.Authority is { } authority ? $" (it was issued by {authority})" : "")}. " +
            "Check the authority (energytrade whoami) against the services' Auth:Authority, and sign in again with energytrade login.";
    }

    /// <summary>Each field violation of the google.rpc.BadRequest the service attached, descriptions as sentences.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Violations(RpcException error) => Violations(TryGetStatus(error));

    /// <summary>The same for a status that came in a message, e.g. one item's in an import's answer.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Violations(Google.Rpc.Status? status) =>
        status?.GetDetail<BadRequest>()?.FieldViolations.Select(v => new BadRequest.Types.FieldViolation(v) { Description = Sentence(v.Description) }).ToList()
        ?? [];

    private static Google.Rpc.Status? TryGetStatus(RpcException error)
    {
        try
        {
            return error.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // A proxy in between may send a grpc-status-details-bin it made up; the plain status still says enough.
            return null;
        }
    }

    /// <summary>The root cause of a transport failure, e.g. " (Connection refused)".</summary>
    private static string Cause(RpcException error) =>
        error.Status.DebugException?.GetBaseException().Message is { Length: > 0 } cause ? $" ({cause.TrimEnd('.')})" : "";

    private static string Plural(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";

    private static string Sentence(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return "no reason given.";
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') || text.EndsWith(')') ? text : text + ".";
    }
}

using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using EnergyTrade.Shipments.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>
/// Sends a scenario's requests to Shipments, many at once, and judges every answer: its status must be
/// one a correct server gives for it, and every OK reply goes into the model.
/// </summary>
public sealed partial class ScenarioRunner(ShipmentService.ShipmentServiceClient shipments, Ledger ledger, StatusTally tally, int concurrency)
{
    /// <summary>What a correct server may answer to a write, whatever was asked.</summary>
    public static readonly HashSet<StatusCode> Acceptable =
        [StatusCode.OK, StatusCode.InvalidArgument, StatusCode.AlreadyExists, StatusCode.Aborted, StatusCode.FailedPrecondition, StatusCode.NotFound];

    public const int SaltLength = 9;
    public const string NoCorrectServer = "no correct server answers this";
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentBag<string> _refusedAsCancelled = [];
    private readonly ConcurrentDictionary<string, int> _requestIdUses = new();

    /// <summary>Makes this run's request_ids its own, so a shrunk or repeated scenario never replays an earlier run's shipment.</summary>
    public string Salt { get; } = Guid.NewGuid().ToString("N")[..(SaltLength - 1)] + "-";

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Shipments an update was refused for as cancelled: each must end cancelled in the model.</summary>
    public IEnumerable<string> RefusedAsCancelled => _refusedAsCancelled;

    private sealed record Created(string RequestId, Shipment Sent, Task<(StatusCode Code, Shipment? Reply)> Outcome);

    public async Task RunAsync(Scenario scenario)
    {
        var creates = new List<Created>();
        using var slots = new SemaphoreSlim(concurrency);
        var running = new List<Task>(scenario.Steps.Count);
        foreach (var step in scenario.Steps)
        {
            await slots.WaitAsync();
            var task = step switch
            {
                CreateStep c => Create(creates, c),
                RetryStep r when creates.Count > 0 => Retry(Pick(creates, r), r),
                UpdateStep u => UpdateAsync(u, Resolve(creates, u.Target)),
                CancelStep c => CancelAsync(c, Resolve(creates, c.Target)),
                _ => Task.CompletedTask,
            };
            running.Add(task.ContinueWith(_ => slots.Release(), TaskScheduler.Default));
            running.Add(task);
        }
        await Task.WhenAll(running);
    }

    private Task Create(List<Created> creates, CreateStep step)
    {
        var requestId = step.RequestIdTail is null ? "" : Salt + step.RequestIdTail;
        _requestIdUses.AddOrUpdate(requestId, 1, (_, n) => n + 1);
        var created = new Created(requestId, step.Shipment, CreateAsync(step.Shipment, requestId, "create"));
        creates.Add(created);
        return created.Outcome;
    }

    private static Created Pick(List<Created> creates, RetryStep step) => step.Concurrent
        ? creates[creates.Count - 1 - step.Pick % Math.Min(creates.Count, 3)]
        : creates[step.Pick % creates.Count];

    private Task Retry(Created original, RetryStep step)
    {
        _requestIdUses.AddOrUpdate(original.RequestId, 1, (_, n) => n + 1);
        return step.Concurrent ? Twin() : AfterOriginal();

        Task Twin() => CreateAsync(step.Different ?? original.Sent, original.RequestId, "twin");

        async Task AfterOriginal()
        {
            var (code, reply) = await original.Outcome;
            var sameContent = step.Different is null || step.Different.Equals(original.Sent);
            var content = step.Different ?? original.Sent;
            var (retryCode, retryReply) = await CreateAsync(content, original.RequestId, "retry");
            if (!sameContent || original.RequestId.Length == 0) return;
            // The same request again: the same answer, and when it was an acknowledgement, the same shipment.
            var request = new CreateShipmentRequest { Shipment = content, RequestId = original.RequestId };
            if (retryCode != code && code != StatusCode.AlreadyExists)
            {
                Fail("CreateShipment (retry)", request, retryCode, null, $"the first attempt got {StatusTally.Name(code)}, a retry of it must too");
            }
            else if (code == StatusCode.OK && retryReply?.Name != reply?.Name)
            {
                Fail("CreateShipment (retry)", request, retryCode, null, $"the first attempt created {reply?.Name}, its retry answered {retryReply?.Name}");
            }
        }
    }

    private async Task<(StatusCode, Shipment?)> CreateAsync(Shipment shipment, string requestId, string how)
    {
        var request = new CreateShipmentRequest { Shipment = shipment, RequestId = requestId };
        var (code, reply, error) = await CallAsync(o => shipments.CreateShipmentAsync(request, o));
        var method = $"CreateShipment ({how})";
        if (!Judge(method, request, code, error)) return (code, reply);

        var problems = Oracle.CreateProblems(shipment, requestId);
        var shared = requestId.Length > 0 && _requestIdUses.GetValueOrDefault(requestId) > 1;
        if (problems.Count > 0 && code != StatusCode.InvalidArgument)
        {
            Fail(method, request, code, error, $"must be INVALID_ARGUMENT: {string.Join("; ", problems)}");
        }
        else if (problems.Count == 0 && code != StatusCode.OK && !(code == StatusCode.AlreadyExists && shared))
        {
            Fail(method, request, code, error, shared ? "a valid create must be OK or, its request_id taken, ALREADY_EXISTS" : "a valid create with a request_id of its own must be OK");
        }
        if (reply is not null)
        {
            Accept(method, request, reply);
            ledger.Claim(requestId, reply.Name, Describe(request));
            if (!shared && Oracle.Mismatches(shipment, reply) is { Count: > 0 } mismatches)
            {
                Fail(method, request, code, error, "the reply is not what was asked: " + string.Join("; ", mismatches));
            }
        }
        return (code, reply);
    }

    private static async Task<string> NameOf(Created? target, Target step) => step.Kind switch
    {
        TargetKind.Unknown or TargetKind.Malformed => step.Text,
        _ when target is not null && (await target.Outcome).Reply is { } created => created.Name,
        // The shipment was never created: ask about one that does not exist.
        _ => "shipments/" + Guid.NewGuid(),
    };

    private static Created? Resolve(List<Created> creates, Target target) => creates.Count == 0 ? null : target.Kind switch
    {
        // Among the creates already acknowledged, where there are any: a correction of a shipment
        // that was never created only tests NOT_FOUND, which Unknown targets do already.
        TargetKind.Recorded => creates.Where(c => c.Outcome.IsCompletedSuccessfully && c.Outcome.Result.Reply is not null).ToList() is { Count: > 0 } acknowledged
            ? acknowledged[target.Pick % acknowledged.Count]
            : creates[target.Pick % creates.Count],
        TargetKind.Recent => creates[creates.Count - 1 - target.Pick % Math.Min(creates.Count, 4)],
        _ => null,
    };

    private long Version(string name, VersionChoice choice, int salt)
    {
        var current = ledger.VersionOf(name);
        return choice switch
        {
            VersionChoice.Zero => 0,
            VersionChoice.Current => current,
            VersionChoice.Stale => Math.Max(1, current - 1),
            // Far ahead, so no racing change can make it right by the time it arrives.
            VersionChoice.Ahead => current + 1_000 + salt % 5,
            _ => -1 - salt % 3,
        };
    }

    private async Task UpdateAsync(UpdateStep step, Created? target)
    {
        var name = await NameOf(target, step.Target);
        var patch = step.Patch.Clone();
        patch.Name = name;
        patch.Version = Version(name, step.Version, step.Patch.CalculateSize());
        var request = new UpdateShipmentRequest { Shipment = patch };
        if (step.Mask is not null) request.UpdateMask = new FieldMask { Paths = { step.Mask } };
        var (code, reply, error) = await CallAsync(o => shipments.UpdateShipmentAsync(request, o));
        const string method = "UpdateShipment";
        if (!Judge(method, request, code, error)) return;

        var exists = ledger.Get(name) is not null;
        var maskProblem = Oracle.MaskProblem(step.Mask);
        string? expected = null;
        if (!ShipmentName(name) || maskProblem is not null)
        {
            if (code != StatusCode.InvalidArgument) expected = $"INVALID_ARGUMENT ({maskProblem ?? "malformed name"})";
        }
        else if (!exists)
        {
            if (code != StatusCode.NotFound) expected = "NOT_FOUND: no such shipment";
        }
        else if (step.Version is VersionChoice.Ahead or VersionChoice.Negative)
        {
            if (code != StatusCode.Aborted) expected = $"ABORTED: version {patch.Version} was never the shipment's";
        }
        else if (code == StatusCode.NotFound)
        {
            expected = "not NOT_FOUND: the shipment exists";
        }
        if (expected is not null) Fail(method, request, code, error, "must be " + expected);

        if (code == StatusCode.FailedPrecondition) _refusedAsCancelled.Add(name);
        if (reply is not null)
        {
            if (reply.State != Shipment.Types.State.Active) Fail(method, request, code, error, $"an update answered a {reply.State} shipment");
            Accept(method, request, reply);
        }
    }

    private async Task CancelAsync(CancelStep step, Created? target)
    {
        var name = await NameOf(target, step.Target);
        var request = new CancelShipmentRequest { Name = name, Reason = step.Reason, Version = Version(name, step.Version, step.Reason.Length) };
        var (code, reply, error) = await CallAsync(o => shipments.CancelShipmentAsync(request, o));
        const string method = "CancelShipment";
        if (!Judge(method, request, code, error)) return;

        var exists = ledger.Get(name) is not null;
        var reasonProblem = Oracle.TextProblem(step.Reason, required: false, ShipmentGen.ReasonLimit);
        string? expected = null;
        if (!ShipmentName(name) || reasonProblem is not null)
        {
            if (code != StatusCode.InvalidArgument) expected = $"INVALID_ARGUMENT ({reasonProblem ?? "malformed name"})";
        }
        else if (!exists)
        {
            if (code != StatusCode.NotFound) expected = "NOT_FOUND: no such shipment";
        }
        else if (code is not (StatusCode.OK or StatusCode.Aborted))
        {
            expected = "OK or, with a version that is not the shipment's, ABORTED";
        }
        if (expected is not null) Fail(method, request, code, error, "must be " + expected);
        if (reply is not null)
        {
            if (reply.State != Shipment.Types.State.Cancelled) Fail(method, request, code, error, $"a cancellation answered a {reply.State} shipment");
            Accept(method, request, reply);
        }
    }

    /// <summary>"shipments/" and a UUID in its 36-character form, nothing around it.</summary>
    private static bool ShipmentName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^shipments/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z")]
    private static partial Regex NamePattern();

    /// <summary>Counts the answer; false when its status is one no correct server gives, which fails the run.</summary>
    private bool Judge(string method, IMessage request, StatusCode code, RpcException? error)
    {
        tally.Count(code);
        if (Acceptable.Contains(code)) return true;
        Fail(method, request, code, error, NoCorrectServer);
        return false;
    }

    private void Accept(string method, IMessage request, Shipment reply)
    {
        if (Oracle.ReplyProblems(reply) is { Count: > 0 } problems)
        {
            Fail(method, request, StatusCode.OK, null, $"acknowledged a shipment Trade cannot count ({string.Join("; ", problems)}): {reply}");
        }
        ledger.Observe(ShipmentView.Of(reply), Describe(request));
    }

    private void Fail(string method, IMessage request, StatusCode code, RpcException? error, string why) =>
        _failures.Enqueue($"{method} {Describe(request)}\n    → {StatusTally.Name(code)}{(error is null ? "" : $" \"{Clip(error.Status.Detail, 600)}\"")}\n    {why}");

    public static string Describe(IMessage request) => Clip(JsonFormatter.Default.Format(request), 1_500);

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + $"… ({text.Length} chars)";

    /// <summary>One call with a deadline no healthy server misses; the write rate limit is waited out, as a real client would.</summary>
    private async Task<(StatusCode Code, T? Reply, RpcException? Error)> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call) where T : class
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (StatusCode.OK, await call(new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60))), null);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && attempt < 20 && ex.Status.Detail.StartsWith("Too many writes", StringComparison.Ordinal))
            {
                tally.CountRateLimited();
                await Task.Delay(TimeSpan.FromMilliseconds(250 * (attempt + 1)));
            }
            catch (RpcException ex)
            {
                return (ex.StatusCode, null, ex);
            }
        }
    }
}

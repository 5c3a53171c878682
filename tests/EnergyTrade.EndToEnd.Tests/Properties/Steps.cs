using EnergyTrade.Shipments.V1;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>One generated request. Steps refer to earlier creates by position, resolved when the step runs.</summary>
public abstract record Step
{
    public abstract string Kind { get; }
}

/// <summary>CreateShipment; a null tail sends no request_id, any other is prefixed with the run's salt.</summary>
public sealed record CreateStep(Shipment Shipment, string? RequestIdTail) : Step
{
    public override string Kind => "create";
}

/// <summary>
/// CreateShipment again with an earlier create's request_id: after it answered (a retry), or at once
/// (a twin racing it); with the same content, or with <see cref="Different"/> content.
/// </summary>
public sealed record RetryStep(int Pick, Shipment? Different, bool Concurrent) : Step
{
    public override string Kind => Concurrent ? "twin" : "retry";
}

public sealed record UpdateStep(Target Target, Shipment Patch, string[]? Mask, VersionChoice Version) : Step
{
    public override string Kind => "update";
}

public sealed record CancelStep(Target Target, string Reason, VersionChoice Version) : Step
{
    public override string Kind => "cancel";
}

public enum TargetKind
{
    /// <summary>Any shipment an earlier step created.</summary>
    Recorded,
    /// <summary>One of the last few created: where concurrent corrections collide.</summary>
    Recent,
    /// <summary>A well-formed name no shipment has.</summary>
    Unknown,
    /// <summary>Not a shipment name at all.</summary>
    Malformed,
}

public sealed record Target(TargetKind Kind, int Pick, string Text);

/// <summary>The version a correction claims to have read.</summary>
public enum VersionChoice
{
    /// <summary>0: no check.</summary>
    Zero,
    /// <summary>The newest the model knows of when the request is sent (stale if a racing change wins).</summary>
    Current,
    Stale,
    Ahead,
    Negative,
}

public sealed record Scenario(string Profile, IReadOnlyList<Step> Steps)
{
    public override string ToString() =>
        $"{Profile}: {Steps.Count} steps ({string.Join(", ", Steps.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))})";
}

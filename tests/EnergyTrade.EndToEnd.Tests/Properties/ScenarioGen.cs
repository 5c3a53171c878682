using CsCheck;
using EnergyTrade.Shipments.V1;

namespace EnergyTrade.EndToEnd.Tests.Properties;

/// <summary>Sequences of requests: creates, retries and twins of creates, corrections and cancellations, with the mix set by a profile.</summary>
public sealed record ScenarioProfile(string Name, Gen<int> Noise, int Create, int Retry, int Twin, int Update, int Cancel, int RecentTargets, int BadTargets,
    Gen<VersionChoice> Version, Gen<string[]?> Mask)
{
    /// <summary>The whole input space: most fields of most requests may be anything.</summary>
    public static readonly ScenarioProfile Fuzz = new("fuzz", Gen.Frequency((40, Gen.Const(0)), (30, Gen.Const(6)), (20, Gen.Const(20)), (10, Gen.Const(60))),
        Create: 55, Retry: 7, Twin: 4, Update: 24, Cancel: 10, RecentTargets: 20, BadTargets: 8,
        Version: Gen.Frequency((45, Gen.Const(VersionChoice.Zero)), (30, Gen.Const(VersionChoice.Current)), (10, Gen.Const(VersionChoice.Stale)),
            (10, Gen.Const(VersionChoice.Ahead)), (5, Gen.Const(VersionChoice.Negative))),
        Mask: ScenarioGen.AnyMask);

    /// <summary>Few shipments, many concurrent corrections of the same ones, retries and twins: mostly sound content.</summary>
    public static readonly ScenarioProfile Race = new("race", Gen.Frequency((75, Gen.Const(0)), (25, Gen.Const(6))),
        Create: 14, Retry: 6, Twin: 8, Update: 56, Cancel: 16, RecentTargets: 75, BadTargets: 2,
        Version: Gen.Frequency((40, Gen.Const(VersionChoice.Zero)), (45, Gen.Const(VersionChoice.Current)), (10, Gen.Const(VersionChoice.Stale)),
            (5, Gen.Const(VersionChoice.Ahead))),
        Mask: ScenarioGen.SoundMask);
}

public static class ScenarioGen
{
    private static readonly string[] Mutable =
    [
        "shipper", "exporter_country", "importer_country", "origin_country", "grade", "quantity", "quantity.value", "quantity.unit",
        "quantity.barrels_per_tonne", "value", "load_date", "delivery_date", "load_port", "discharge_port",
    ];

    private static readonly string[] OutputOnly = ["name", "barrels", "tonnes", "state", "version", "create_time", "update_time", "cancel_reason"];

    private static readonly string[] Unknown =
        ["foo", "quantity.foo", "Shipper", "shipper ", "", "quantity.value.value", "value.units", "load_date.day", "shipments", "*.*", "quantity.*"];

    /// <summary>update_mask paths a careful client sends: none, "*", or mutable fields; null sends no mask.</summary>
    public static readonly Gen<string[]?> SoundMask = Gen.Frequency(
        (40, Gen.Const<string[]?>(() => null)),
        (20, Gen.Const<string[]?>(() => ["*"])),
        (40, Gen.OneOf(Mutable).Array[1, 3].Select(a => (string[]?)a)));

    /// <summary>update_mask paths of every kind: valid, output only, unknown, "*" alone or among others, none; null sends no mask.</summary>
    public static readonly Gen<string[]?> AnyMask = Gen.Frequency(
        (25, Gen.Const<string[]?>(() => null)),
        (5, Gen.Const<string[]?>([])),
        (15, Gen.Const<string[]?>(["*"])),
        (30, Gen.OneOf(Mutable).Array[1, 4].Select(a => (string[]?)a)),
        (8, Gen.Select(Gen.OneOf(Mutable).Array[0, 2], Gen.OneOf(OutputOnly), (a, o) => (string[]?)[.. a, o])),
        (8, Gen.Select(Gen.OneOf(Mutable).Array[0, 2], Gen.OneOf(Unknown), (a, u) => (string[]?)[.. a, u])),
        (5, Gen.OneOf(Mutable).Select(m => (string[]?)["*", m])),
        (4, TextGen.Unicode(1, 12).Select(u => (string[]?)[u])));

    private static readonly Gen<string> RequestIdTail = Gen.Frequency(
        (60, Gen.Guid.Select(g => g.ToString())),
        (15, TextGen.AlphaNumeric),
        (10, TextGen.Any(TextGen.AlphaNumeric, 128 - ScenarioRunner.SaltLength)),
        (5, TextGen.WithControl(Gen.Guid.Select(g => g.ToString()))));

    private static Gen<Target> TargetOf(ScenarioProfile profile) => Gen.Frequency(
        (100 - profile.BadTargets - profile.RecentTargets, Gen.Int[0, 1_000_000].Select(p => new Target(TargetKind.Recorded, p, ""))),
        (profile.RecentTargets, Gen.Int[0, 3].Select(p => new Target(TargetKind.Recent, p, ""))),
        (profile.BadTargets / 2 + 1, Gen.Guid.Select(g => new Target(TargetKind.Unknown, 0, "shipments/" + g))),
        (profile.BadTargets / 2 + 1, Gen.Frequency(
            (3, Gen.OneOf("", "shipments/", "shipments/not-a-uuid", "shipment/0190f1c2-0000-7000-8000-000000000000", "SHIPMENTS/0190f1c2-0000-7000-8000-000000000000",
                "shipments/0190f1c2-0000-7000-8000-000000000000/x", "shipments/{0190f1c2-0000-7000-8000-000000000000}", "shipments/ 0190f1c2-0000-7000-8000-000000000000")),
            (1, TextGen.Unicode(1, 30))).Select(t => new Target(TargetKind.Malformed, 0, t))));

    private static Gen<Shipment> Shipment(ScenarioProfile profile) => profile.Noise.SelectMany(ShipmentGen.With);

    private static Gen<Step> StepOf(ScenarioProfile profile) => Gen.Frequency(
        (profile.Create, Gen.Select(Shipment(profile), RequestIdTail.Null(0.1), (s, t) => (Step)new CreateStep(s, t))),
        (profile.Retry, Gen.Select(Gen.Int[0, 1_000_000], Shipment(profile).Null(0.6), (p, d) => (Step)new RetryStep(p, d, Concurrent: false))),
        (profile.Twin, Gen.Select(Gen.Int[0, 2], Shipment(profile).Null(0.7), (p, d) => (Step)new RetryStep(p, d, Concurrent: true))),
        (profile.Update, Gen.Select(TargetOf(profile), profile.Mask, Shipment(profile), Gen.Int[0, (1 << 14) - 1], profile.Version,
            (target, mask, full, keep, version) =>
                (Step)new UpdateStep(target, mask is ["*"] || (mask is { Length: > 0 } && keep % 3 == 0) ? full : ShipmentGen.Sparse(full, keep), mask, version))),
        (profile.Cancel, Gen.Select(TargetOf(profile), Gen.Frequency((3, Gen.OneOf("", "booked twice", "cargo did not load", "  duplicate  ")),
            (2, TextGen.Any(Gen.Const("wrong vessel"), ShipmentGen.ReasonLimit))), profile.Version, (t, r, v) => (Step)new CancelStep(t, r, v))));

    /// <summary>Between 90% and 110% of <paramref name="size"/> steps, so a shrunk failure can be shorter.</summary>
    public static Gen<Scenario> Of(ScenarioProfile profile, int size) =>
        StepOf(profile).Array[Math.Max(1, size * 9 / 10), Math.Max(1, size * 11 / 10)].Select(steps => new Scenario(profile.Name, steps));
}

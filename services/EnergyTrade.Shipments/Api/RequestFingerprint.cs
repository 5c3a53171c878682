using System.Security.Cryptography;
using System.Text.Json;
using EnergyTrade.Contracts;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// A hash of a validated create request. A retry carrying the same request_id must carry the same
/// content; a different fingerprint means the id was reused for another shipment.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(ShipmentInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(AsSent(input))));

    /// <summary>
    /// A factor the service chose from the grade catalogue is not part of what the caller sent, so a
    /// retry stays a retry when the catalogue changes in between. 7.33 stands in for it because
    /// every fingerprint stored before the catalogue existed holds that figure there.
    /// </summary>
    private static ShipmentInput AsSent(ShipmentInput input) =>
        input.BarrelsPerTonneGiven ? input : input with { BarrelsPerTonne = Limits.DefaultBarrelsPerTonne };
}

using System.Security.Cryptography;
using System.Text.Json;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// A hash of a validated create request. A retry carrying the same request_id must carry the same
/// content; a different fingerprint means the id was reused for another shipment.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(ShipmentInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input)));
}

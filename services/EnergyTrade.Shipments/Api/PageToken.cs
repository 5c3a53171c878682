using System.Buffers.Text;
using System.Text.Json;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// An opaque keyset cursor (AIP-158): the last row's (load_date, id) plus a hash of the filter it
/// belongs to, so a token cannot be replayed against a different query.
/// </summary>
public sealed record PageToken(DateOnly LoadDate, Guid Id, string Filter)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static bool TryDecode(string token, out PageToken? value)
    {
        value = null;
        try
        {
            value = JsonSerializer.Deserialize<PageToken>(Base64Url.DecodeFromChars(token));
            return value is { Filter: not null };
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }
}

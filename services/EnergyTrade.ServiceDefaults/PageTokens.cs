using System.Buffers.Text;
using System.Text.Json;

namespace EnergyTrade.ServiceDefaults;

/// <summary>Opaque page tokens (AIP-158): a record of where the page ended, as URL-safe base64 JSON.</summary>
public static class PageTokens
{
    public static string Encode<T>(T position) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position));

    /// <summary>False for anything this service did not issue as a <typeparamref name="T"/>.</summary>
    public static bool TryDecode<T>(string token, out T? position) where T : class
    {
        position = null;
        try
        {
            position = JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
        return position is not null;
    }
}

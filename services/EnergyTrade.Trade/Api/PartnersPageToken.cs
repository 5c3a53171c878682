using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using V1 = EnergyTrade.Trade.V1;
using OrderBy = EnergyTrade.Trade.V1.ListPartnersRequest.Types.OrderBy;
using EnergyTrade.Types.V1;

namespace EnergyTrade.Trade.Api;

/// <summary>
/// An opaque ListPartners cursor (AIP-158): the offset into the ranking plus a hash of the filter it
/// belongs to, so a token cannot be replayed against a different query. An offset rather than a
/// keyset: the ranking key (a sum) has no index to seek in, and the whole ranking is computed per call.
/// If the figures change between two pages, a partner whose rank moved across the page boundary is
/// repeated or skipped; any paging over a live ranking has that choice, and this one keeps ranks exact.
/// </summary>
public sealed record PartnersPageToken(int Offset, string Filter)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static bool TryDecode(string token, out PartnersPageToken? value)
    {
        value = null;
        try
        {
            value = JsonSerializer.Deserialize<PartnersPageToken>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
        if (value is { Filter: not null, Offset: >= 0 }) return true;
        value = null;
        return false;
    }

    /// <summary>
    /// Everything that decides the ranking, with defaults resolved (UNSPECIFIED basis and order are
    /// the same query as COMMERCIAL and TURNOVER_VALUE). page_size is left out: AIP-158 lets it change between pages.
    /// </summary>
    public static string FilterOf(string country, MonthRange range, Basis basis, OrderBy orderBy, DateTimeOffset? asOf = null)
    {
        var text = $"{country}|{range.First:yyyy-MM}|{range.Last:yyyy-MM}|{(int)basis}|{(int)orderBy}" + (asOf is { } t ? $"|{t.UtcTicks}" : "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}

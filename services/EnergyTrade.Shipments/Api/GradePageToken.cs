using System.Buffers.Text;
using System.Text;

namespace EnergyTrade.Shipments.Api;

/// <summary>
/// ListGrades' cursor (AIP-158): the key of the last grade returned, so a page is the same whichever
/// replica answers and grades added to the catalogue in between are not skipped. The prefix tells it
/// from another list's token.
/// </summary>
public static class GradePageToken
{
    private const string Prefix = "grades:";

    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastKey));

    public static bool TryDecode(string token, out string lastKey)
    {
        lastKey = "";
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
            lastKey = text[Prefix.Length..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

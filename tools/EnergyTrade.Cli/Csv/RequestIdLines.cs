using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace EnergyTrade.Cli.Csv;

/// <summary>
/// The line each request_id of a file was first seen on. Kept by a 64-bit hash of the request_id, not
/// the text: a file of millions of rows then costs tens of megabytes, not hundreds, and two different
/// request_ids of one file share a hash with odds of about one in thirty million at a million rows.
/// </summary>
public sealed class RequestIdLines
{
    private readonly Dictionary<ulong, int> _firstLines = [];

    /// <summary>The line <paramref name="requestId"/> was first seen on, or null (and now it is seen on <paramref name="line"/>).</summary>
    public int? FirstLine(string requestId, int line)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(requestId.AsSpan()));
        ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_firstLines, hash, out var seen);
        if (seen) return first;
        first = line;
        return null;
    }
}

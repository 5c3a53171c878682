using Google.Protobuf;

namespace EnergyTrade.Cli.Grpc;

/// <summary>AIP-158 paging for the list commands: one page, or with --all every page, merged into one response or one at a time.</summary>
public static class Pages
{
    /// <summary>
    /// Calls <paramref name="fetch"/> for the first page and, when <paramref name="all"/>, for each
    /// next page, appending every page's items to the first response; the result's
    /// next_page_token is the last page's (empty after --all).
    /// </summary>
    public static async Task<TResponse> ReadAsync<TRequest, TResponse>(TRequest request, bool all,
        Func<TRequest, Task<TResponse>> fetch, Func<TResponse, string> nextPageToken, Action<TRequest, string> setPageToken,
        Action<TResponse, TResponse> append)
        where TRequest : IDeepCloneable<TRequest>
    {
        TResponse? merged = default;
        await foreach (var page in EachAsync(request, all, fetch, nextPageToken, setPageToken))
        {
            if (merged is null) merged = page;
            else append(merged, page);
        }
        return merged!;
    }

    /// <summary>
    /// The first page and, when <paramref name="all"/>, each next page as it comes, for a caller that
    /// writes a page out and lets it go rather than holding every one.
    /// </summary>
    public static async IAsyncEnumerable<TResponse> EachAsync<TRequest, TResponse>(TRequest request, bool all,
        Func<TRequest, Task<TResponse>> fetch, Func<TResponse, string> nextPageToken, Action<TRequest, string> setPageToken)
        where TRequest : IDeepCloneable<TRequest>
    {
        var page = await fetch(request);
        yield return page;
        var token = nextPageToken(page);
        while (all && token.Length > 0)
        {
            request = request.Clone();
            setPageToken(request, token);
            page = await fetch(request);
            yield return page;
            token = nextPageToken(page);
        }
    }
}

using Google.Protobuf;

namespace EnergyTrade.Cli.Grpc;

/// <summary>AIP-158 paging for the list commands: one page, or with --all every page merged into one response.</summary>
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
        var merged = await fetch(request);
        var token = nextPageToken(merged);
        while (all && token.Length > 0)
        {
            request = request.Clone();
            setPageToken(request, token);
            var page = await fetch(request);
            append(merged, page);
            token = nextPageToken(page);
        }
        return merged;
    }
}

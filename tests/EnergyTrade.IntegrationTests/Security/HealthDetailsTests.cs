using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EnergyTrade.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>/health/ready is anonymous, so it tells anonymous callers statuses only; a token adds descriptions, never exception text.</summary>
[Trait("Category", "Integration")]
public sealed class HealthDetailsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Anonymous_readiness_shows_statuses_only_and_a_token_adds_descriptions_but_never_exception_text()
    {
        await using var sut = await ServiceUnderTest.CreateAsync("health");
        var postgres = sut.ProxyToPostgres();
        var (process, _) = await sut.StartShipmentsAsync(postgresProxy: postgres);
        using var anonymous = new HttpClient { BaseAddress = process.HttpUrl };
        using var authenticated = new HttpClient { BaseAddress = process.HttpUrl };
        // Any valid token will do: details are not tied to a scope.
        authenticated.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["trade:read"]));
        using var forged = new HttpClient { BaseAddress = process.HttpUrl };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(signingKey: new string('x', 40)));

        var (status, ready) = await GetAsync(authenticated);
        Assert.Equal(HttpStatusCode.OK, status);
        var outbox = ready.GetProperty("checks").GetProperty("outbox");
        Assert.Contains("events waiting to be published", outbox.GetProperty("description").GetString());
        Assert.Equal(0, outbox.GetProperty("data").GetProperty("backlog").GetInt32());
        AssertStatusesOnly((await GetAsync(anonymous)).Body);
        AssertStatusesOnly((await GetAsync(forged)).Body);

        postgres.Cut();
        var probeErrors = await ConnectionErrorsAsync(sut.ShipmentsDb.ConnectionString, postgres);
        (status, var anonymousBody) = await Eventually.MatchAsync(() => GetAsync(anonymous),
            r => r.Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "503 from /health/ready without PostgreSQL");
        AssertStatusesOnly(anonymousBody);
        Assert.Equal("Unhealthy", anonymousBody.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());

        (status, var detailed) = await GetAsync(authenticated);
        output.WriteLine($"with a token, PostgreSQL cut off: {detailed}");
        output.WriteLine($"what a client meets connecting through the cut proxy: {string.Join(" / ", probeErrors)}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var descriptions = detailed.GetProperty("checks").EnumerateObject()
            .Select(c => c.Value.GetProperty("description")).Where(d => d.ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(descriptions);
        var text = Strings(detailed).ToList();
        Assert.DoesNotContain(text, s => s.Contains("exception", StringComparison.OrdinalIgnoreCase));
        foreach (var error in probeErrors) Assert.DoesNotContain(text, s => s.Contains(error, StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static void AssertStatusesOnly(JsonElement body)
    {
        Assert.Equal(["status", "checks"], body.EnumerateObject().Select(p => p.Name));
        Assert.NotEmpty(body.GetProperty("checks").EnumerateObject());
        foreach (var check in body.GetProperty("checks").EnumerateObject())
        {
            Assert.Equal(["status"], check.Value.EnumerateObject().Select(p => p.Name));
        }
        Assert.DoesNotContain("description", body.GetRawText());
    }

    /// <summary>The messages of what the service itself meets when it connects through the cut proxy.</summary>
    private static async Task<IReadOnlyList<string>> ConnectionErrorsAsync(string connectionString, TcpProxy proxy)
    {
        var through = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = proxy.Port, Pooling = false, Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(through.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex)
        {
            var messages = new List<string>();
            for (Exception? e = ex; e is not null; e = e.InnerException) messages.Add(e.Message);
            return messages;
        }
        throw new InvalidOperationException("Connected through a cut proxy.");
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EnergyTrade.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test class: its exchanges and queues cannot see any
/// other test's events. Created and inspected through the management API.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly List<string> _users = [];

    private TestVirtualHost(HttpClient http, string name, Uri amqp)
    {
        _http = http;
        Name = name;
        AmqpUri = amqp;
    }

    public string Name { get; }
    /// <summary>amqp://user:pass@host:port/vhost for ConnectionStrings:RabbitMq.</summary>
    public Uri AmqpUri { get; }

    public static async Task<TestVirtualHost> CreateAsync(string purpose)
    {
        var infra = await TestInfrastructure.GetAsync();
        var userInfo = infra.RabbitMq.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo[0]);
        var password = Uri.UnescapeDataString(userInfo.Length > 1 ? userInfo[1] : "");
        var http = new HttpClient { BaseAddress = infra.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

        var name = $"et-{purpose}-{Guid.NewGuid():N}"[..36];
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        var amqp = new UriBuilder(infra.RabbitMq) { Path = "/" + name }.Uri;
        return new TestVirtualHost(http, name, amqp);
    }

    /// <summary>
    /// A broker user of this test's own for one service, with exactly the least-privilege permissions
    /// scripts/up.sh and docker-compose.yml give it (scripts/rabbitmq/{service}.permissions.json) on
    /// this vhost; returns the amqp:// URI to connect as it. Removed with the vhost.
    /// </summary>
    public async Task<Uri> AddServiceUserAsync(string service)
    {
        var user = $"{service}-{Guid.NewGuid():N}"[..24];
        var password = Guid.NewGuid().ToString("N");
        (await _http.PutAsJsonAsync($"api/users/{user}", new { password, tags = "" })).EnsureSuccessStatusCode();
        _users.Add(user);
        var permissions = await File.ReadAllTextAsync(Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "rabbitmq", $"{service}.permissions.json"));
        using var body = new StringContent(permissions, Encoding.UTF8, "application/json");
        (await _http.PutAsync($"api/permissions/{Name}/{user}", body)).EnsureSuccessStatusCode();
        return new UriBuilder(AmqpUri) { UserName = user, Password = password }.Uri;
    }

    /// <summary>Messages in a queue (ready + unacknowledged), or null when the queue does not exist.</summary>
    public async Task<QueueStats?> GetQueueAsync(string queue)
    {
        using var response = await _http.GetAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return new QueueStats(
            Get(root, "messages_ready"), Get(root, "messages_unacknowledged"), Get(root, "consumers"),
            root.TryGetProperty("durable", out var d) && d.GetBoolean())
        {
            Type = root.TryGetProperty("type", out var t) ? t.GetString() : null,
        };
    }

    /// <summary>Closes every client connection to this vhost, as a broker restart would.</summary>
    public async Task CloseConnectionsAsync()
    {
        var connections = await _http.GetFromJsonAsync<JsonElement>($"api/vhosts/{Name}/connections");
        foreach (var connection in connections.EnumerateArray())
        {
            var name = connection.GetProperty("name").GetString()!;
            using var response = await _http.DeleteAsync($"api/connections/{Uri.EscapeDataString(name)}");
        }
    }

    private static long Get(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    public async ValueTask DisposeAsync()
    {
        using (await _http.DeleteAsync($"api/vhosts/{Name}")) { }
        foreach (var user in _users)
        {
            using (await _http.DeleteAsync($"api/users/{user}")) { }
        }
        _http.Dispose();
    }
}

public sealed record QueueStats(long Ready, long Unacknowledged, long Consumers, bool Durable)
{
    public long Total => Ready + Unacknowledged;
    /// <summary>classic or quorum.</summary>
    public string? Type { get; init; }
}

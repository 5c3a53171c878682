namespace EnergyTrade.EventBus;

/// <summary>An amqp:// URI (ConnectionStrings:RabbitMq) taken apart for clients that want the pieces.</summary>
public sealed record RabbitMqEndpoint(string Host, ushort Port, string VirtualHost, string Username, string Password, bool UseTls)
{
    public static RabbitMqEndpoint Parse(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:RabbitMq must be an amqp:// URI such as amqp://user:password@localhost:5672/ (set it in appsettings or ConnectionStrings__RabbitMq).");
        }
        var tls = parsed.Scheme == "amqps";
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? (ushort)(tls ? 5671 : 5672) : (ushort)parsed.Port;
        var path = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        var userInfo = parsed.UserInfo.Split(':', 2);
        var user = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";
        return new RabbitMqEndpoint(parsed.Host, port, path.Length == 0 ? "/" : path, user, password, tls);
    }

    /// <summary>For logs: never includes the password.</summary>
    public override string ToString() => $"amqp{(UseTls ? "s" : "")}://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}

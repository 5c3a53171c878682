using System.Globalization;
using System.Text;
using System.Text.Json;
using EnergyTrade.Cli.Auth;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>whoami: who the commands act as, with what, until when, and where that comes from.</summary>
public static class WhoamiView
{
    public static IRenderable Render(Credentials credentials, string profileSource, DateTimeOffset now)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        void Row(string name, string? value) => grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value ?? "(unknown)"));
        Row("profile", credentials.Profile + (profileSource == Profiles.Setting.DefaultSource ? "" : $" ({profileSource})"));
        Row("source", credentials.Source.Describe());
        Row("authority", credentials.Authority);
        Row("client", credentials.ClientId);
        Row("subject", credentials.Subject);
        Row("scopes", credentials.Scopes.Count == 0 ? "none" : string.Join(' ', credentials.Scopes));
        Row("expires", credentials.ExpiresAt is { } expires ? Expiry(expires, now) : null);
        Row("renewed", credentials.Renewable ? "automatically, before it expires" : "no: sign in again when it expires");
        return grid;
    }

    public static string Json(Credentials credentials, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("profile", credentials.Profile);
            json.WriteString("source", credentials.Source.Code());
            json.WriteString("authority", credentials.Authority);
            json.WriteString("clientId", credentials.ClientId);
            json.WriteString("subject", credentials.Subject);
            json.WriteStartArray("scopes");
            foreach (var scope in credentials.Scopes) json.WriteStringValue(scope);
            json.WriteEndArray();
            if (credentials.ExpiresAt is { } expires)
            {
                json.WriteString("expiresAt", expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteNumber("expiresInSeconds", (long)Math.Floor((expires - now).TotalSeconds));
            }
            else
            {
                json.WriteNull("expiresAt");
                json.WriteNull("expiresInSeconds");
            }
            json.WriteBoolean("renewable", credentials.Renewable);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>"in 14 min (2026-12-02 10:15:00 UTC)", "3 min ago (…)".</summary>
    public static string Expiry(DateTimeOffset expires, DateTimeOffset now)
    {
        var absolute = expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        var left = expires - now;
        return left >= TimeSpan.Zero ? $"in {Relative(left)} ({absolute})" : $"{Relative(-left)} ago ({absolute})";
    }

    /// <summary>"45 s", "14 min", "2 h 5 min", "3 d 4 h".</summary>
    public static string Relative(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span < TimeSpan.FromMinutes(1)) return $"{(int)span.TotalSeconds} s";
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes} min";
        if (span < TimeSpan.FromDays(1)) return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
    }
}

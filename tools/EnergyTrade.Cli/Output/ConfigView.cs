using System.Text;
using System.Text.Json;
using EnergyTrade.Cli.Profiles;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>config list and config profiles, as tables for people and JSON for scripts.</summary>
public static class ConfigView
{
    public sealed record ProfileRow(string Name, bool IsDefault, bool InUse, bool SignedIn, string? Authority);

    public static IRenderable Settings(ConfigProfile profile, IReadOnlyList<Setting> settings)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("Setting").NoWrap());
        table.AddColumn("Value");
        table.AddColumn(new TableColumn("From").NoWrap());
        foreach (var setting in settings) table.AddRow(Cells.Of(setting.Key.Name, setting.Value ?? "", setting.Source));
        var where = profile.Directory is null ? "no configuration directory" : profile.Directory.ConfigFile;
        var chosen = profile.NameSource == Setting.DefaultSource ? "" : $", chosen by {profile.NameSource}";
        return new Rows(
            new Text($"Profile '{profile.Name}'{chosen} ({where}){(profile.IsConfigured ? "" : ", not saved yet")}:"),
            table,
            new Text($"An option on the command line wins over the environment variable, which wins over the profile.{Environment.NewLine}", new Style(Color.Grey)));
    }

    public static string SettingsJson(ConfigProfile profile, IReadOnlyList<Setting> settings) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("profile", profile.Name);
        json.WriteString("configFile", profile.Directory?.ConfigFile);
        json.WriteStartObject("settings");
        foreach (var setting in settings)
        {
            json.WriteStartObject(setting.Key.Name);
            json.WriteString("value", setting.Value);
            json.WriteString("source", setting.Source);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    });

    public static IRenderable Profiles(IReadOnlyList<ProfileRow> rows, string? file)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("Profile").NoWrap());
        table.AddColumn(new TableColumn("Default").NoWrap());
        table.AddColumn(new TableColumn("In use").NoWrap());
        table.AddColumn(new TableColumn("Signed in").NoWrap());
        table.AddColumn("Authority");
        foreach (var row in rows)
        {
            table.AddRow(Cells.Of(row.Name, row.IsDefault ? "yes" : "", row.InUse ? "yes" : "", row.SignedIn ? "yes" : "", row.Authority ?? ""));
        }
        return new Rows(table, new Text($"{file ?? "No configuration directory"}; energytrade config use NAME changes the default.{Environment.NewLine}",
            new Style(Color.Grey)));
    }

    public static string ProfilesJson(IReadOnlyList<ProfileRow> rows) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("profiles");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("name", row.Name);
            json.WriteBoolean("default", row.IsDefault);
            json.WriteBoolean("inUse", row.InUse);
            json.WriteBoolean("signedIn", row.SignedIn);
            json.WriteString("authority", row.Authority);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true })) write(json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

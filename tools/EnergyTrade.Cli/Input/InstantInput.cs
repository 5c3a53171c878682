using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;

namespace EnergyTrade.Cli.Input;

/// <summary>What a bare date stands for where an instant is asked for.</summary>
public enum DateMeans
{
    /// <summary>The last microsecond of the day, UTC: "as of 10 May" includes everything recorded on 10 May (--as-of, --until).</summary>
    EndOfDay,
    /// <summary>The microsecond before the day starts, UTC: changes recorded on that day come after it (--since).</summary>
    JustBeforeDay,
}

/// <summary>
/// An instant as typed after --as-of, --since and --until: a date (YYYY-MM-DD, UTC) or an ISO 8601
/// timestamp with Z or an offset. A timestamp without one is refused rather than read in the
/// machine's time zone, which would make the same command mean different instants on different machines.
/// </summary>
public static partial class InstantInput
{
    /// <summary>The service records versions to the microsecond, so a day ends (and the instant before it falls) one microsecond short of the next.</summary>
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    [GeneratedRegex(@"^(?<local>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)(?:\.(?<fraction>[0-9]{1,9}))?(?<zone>Z|[+-][0-9]{2}:[0-9]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    public static bool TryParse(string? text, DateMeans date, out Timestamp instant)
    {
        instant = new Timestamp();
        var trimmed = text?.Trim().ToUpperInvariant() ?? "";
        try
        {
            if (DateInput.TryParseDate(trimmed, out var day))
            {
                var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                instant = Timestamp.FromDateTimeOffset(date == DateMeans.EndOfDay ? midnight + (TimeSpan.FromDays(1) - Microsecond) : midnight - Microsecond);
                return true;
            }
            var match = TimestampPattern().Match(trimmed);
            if (!match.Success || !match.Groups["zone"].Success) return false;
            if (!DateTime.TryParseExact(match.Groups["local"].Value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var local)
                || !TryParseOffset(match.Groups["zone"].Value, out var offset))
            {
                return false;
            }
            instant = Timestamp.FromDateTimeOffset(new DateTimeOffset(local, offset));
            // The fraction is kept to the nanosecond, as Timestamp holds it: a copied update_time means exactly that instant.
            if (match.Groups["fraction"].Success) instant.Nanos = int.Parse(match.Groups["fraction"].Value.PadRight(9, '0'), CultureInfo.InvariantCulture);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Before year 1 or after 9999 once the offset (or the microsecond before 0001-01-01) is applied.
            return false;
        }
    }

    /// <summary>Adds a problem when <paramref name="text"/> is given and is not an instant.</summary>
    public static void Check(string option, string? text, DateMeans date, List<string> problems)
    {
        if (text is not null && !TryParse(text, date, out _)) problems.Add(Describe(option, text, date));
    }

    /// <summary>The instant, or null when not given or not an instant.</summary>
    public static Timestamp? Parse(string? text, DateMeans date) => text is not null && TryParse(text, date, out var instant) ? instant : null;

    /// <summary>What is wrong with <paramref name="text"/> typed after <paramref name="option"/>, and what to type instead.</summary>
    public static string Describe(string option, string text, DateMeans date)
    {
        var day = date == DateMeans.EndOfDay ? "the end of that day, UTC" : "from the start of that day, UTC";
        var match = TimestampPattern().Match(text.Trim().ToUpperInvariant());
        if (match.Success && !match.Groups["zone"].Success)
        {
            return $"{option} '{text}' has no time zone; add Z for UTC or an offset, e.g. {text.Trim()}Z or {text.Trim()}+02:00.";
        }
        return $"{option} '{text}' is not an instant; give a date YYYY-MM-DD ({day}) or a timestamp with Z or an offset, e.g. 2020-05-10T12:00:00Z.";
    }

    private static bool TryParseOffset(string zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone == "Z") return true;
        var (hours, minutes) = (int.Parse(zone[1..3], CultureInfo.InvariantCulture), int.Parse(zone[4..6], CultureInfo.InvariantCulture));
        // DateTimeOffset's own limits, which are also the widest offsets in use.
        if (hours > 14 || minutes > 59 || hours == 14 && minutes > 0) return false;
        offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
        return true;
    }
}

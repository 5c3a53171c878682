using System.Text;
using System.Text.RegularExpressions;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// Captured output that a test may read while the command is still writing it (trade watch runs
/// until cancelled); a StringWriter is not safe for that.
/// </summary>
public sealed class CapturedText : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock) _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_lock) _text.Append(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock) _text.Append(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock) _text.Append(buffer);
    }

    public override string ToString()
    {
        lock (_lock) return _text.ToString();
    }

    /// <summary>The text with each run of white space as one space: a long message wraps at the console's width, wherever its words fall.</summary>
    public string Flat() => Regex.Replace(ToString(), @"\s+", " ");
}

using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>"12/40 rows, 85.3 rows/s": Spectre's own speed column speaks in bytes.</summary>
public sealed class RowRateColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        var done = task.Value.ToString("0", CultureInfo.InvariantCulture);
        var total = task.MaxValue.ToString("0", CultureInfo.InvariantCulture);
        var rate = task.Speed is { } speed ? $", {speed.ToString("0.0", CultureInfo.InvariantCulture)} rows/s" : "";
        return new Text($"{done}/{total} rows{rate}", new Style(Color.Grey));
    }
}

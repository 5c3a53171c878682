using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// "12/40 rows, 85.3 rows/s", or "12 rows, 85.3 rows/s" for a task of unknown size (an export):
/// Spectre's own speed column speaks in bytes.
/// </summary>
public sealed class RowRateColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        var done = task.Value.ToString("0", CultureInfo.InvariantCulture);
        var total = task.MaxValue.ToString("0", CultureInfo.InvariantCulture);
        var rate = task.Speed is { } speed ? $", {speed.ToString("0.0", CultureInfo.InvariantCulture)} rows/s" : "";
        return new Text(task.IsIndeterminate ? $"{done} rows{rate}" : $"{done}/{total} rows{rate}", new Style(Color.Grey));
    }
}

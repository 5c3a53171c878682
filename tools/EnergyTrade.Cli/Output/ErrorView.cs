using EnergyTrade.Cli.Grpc;
using Spectre.Console;

namespace EnergyTrade.Cli.Output;

public static class ErrorView
{
    public static void Write(IAnsiConsole console, FormattedError error)
    {
        console.Write(new Text("error: ", new Style(Color.Red, decoration: Decoration.Bold)));
        console.Write(new Text(error.Summary));
        console.WriteLine();
        foreach (var detail in error.Details)
        {
            console.Write(new Text("  - " + detail));
            console.WriteLine();
        }
    }

    public static void Warn(IAnsiConsole console, string message)
    {
        console.Write(new Text("warning: ", new Style(Color.Yellow, decoration: Decoration.Bold)));
        console.Write(new Text(message));
        console.WriteLine();
    }
}

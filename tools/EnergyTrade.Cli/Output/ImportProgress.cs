using EnergyTrade.Cli.Csv;
using EnergyTrade.Cli.Import;
using EnergyTrade.Cli.Infrastructure;
using Grpc.Core;
using Spectre.Console;

namespace EnergyTrade.Cli.Output;

/// <summary>
/// An import's progress on standard error, so it never mixes with the report on standard output: a bar
/// over the file's bytes (so the time left is known before the rows are counted) with rows, rate and
/// rejections, on a terminal; elsewhere (a log, CI) one line every few seconds. The file is read ahead
/// of what is settled (the chunks in flight, the reader's buffers), so the bar stands at the settled
/// line's share of the bytes read, not at the bytes read.
/// </summary>
public sealed class ImportProgress(CliEnvironment environment, string file, Stream stream, long rowsBefore)
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(10);

    private readonly string _name = Path.GetFileName(file);
    private readonly DateTimeOffset _startedAt = environment.Clock.GetUtcNow();
    private DateTimeOffset _lastLine = environment.Clock.GetUtcNow();
    private ProgressTask? _task;
    private int _lastLineRead = 1;

    /// <summary>The file's records as the importer reads them, noting how far the reading has got.</summary>
    public IEnumerable<CsvRecord> Reading(IEnumerable<CsvRecord> records)
    {
        foreach (var record in records)
        {
            _lastLineRead = record.Line;
            yield return record;
        }
    }

    public async Task<ImportRun> ShowAsync(Func<Task<ImportRun>> import)
    {
        if (!environment.ErrorIsTerminal) return await import();
        var progress = environment.Error.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn());
        return await progress.StartAsync(async context =>
        {
            _task = context.AddTask(Markup.Escape(_name), maxValue: Math.Max(1, stream.Length));
            var run = await import();
            _task.Value = run.Finished ? _task.MaxValue : Position(run.SettledThroughLine);
            _task.StopTask();
            return run;
        });
    }

    public void Settled(ImportTally tally, int line)
    {
        var rows = tally.Rows - rowsBefore;
        var seconds = (environment.Clock.GetUtcNow() - _startedAt).TotalSeconds;
        var rate = seconds > 0 ? rows / seconds : 0;
        var summary = $"{Numbers.Count(tally.Rows)} rows, {Numbers.Count((long)rate)} rows/s, {Numbers.Count(tally.Rejected)} rejected";
        if (_task is not null)
        {
            _task.Description = $"{Markup.Escape(_name)} [grey]{summary}[/]";
            _task.Value = Position(line);
        }
        else if (environment.Clock.GetUtcNow() - _lastLine >= LineInterval)
        {
            _lastLine = environment.Clock.GetUtcNow();
            environment.Error.Write(new Text($"{_name}: {summary}, settled through line {Numbers.Count(line)}{System.Environment.NewLine}"));
        }
    }

    public void Retrying(RpcException error, TimeSpan wait)
    {
        var why = wait > TimeSpan.Zero
            ? $"{error.StatusCode}, retrying in {wait.TotalSeconds:0.#} s"
            : $"{error.StatusCode}, reconnecting and sending the unanswered rows again";
        if (_task is not null) _task.Description = $"{Markup.Escape(_name)} [yellow]({Markup.Escape(why)})[/]";
        else environment.Error.Write(new Text($"{_name}: {why}{System.Environment.NewLine}"));
    }

    private double Position(int settledLine) =>
        Math.Min((stream.CanSeek ? stream.Position : 0) * Math.Min(1.0, settledLine / (double)Math.Max(1, Volatile.Read(ref _lastLineRead))),
            _task?.MaxValue ?? 0);
}

using System.Diagnostics;
using MassTransit;

namespace EnergyTrade.Trade.TestHost;

/// <summary>
/// SIGKILLs this process right after its Nth message was consumed — its totals transaction committed —
/// and before MassTransit acknowledges it, so RabbitMQ redelivers a message whose effect is already in
/// the database and Trade must absorb it (tests/EnergyTrade.FaultTests, TradeCrashTests).
/// </summary>
internal sealed class CrashAfterConsume(int crashAt) : IConsumeObserver
{
    public const string Key = "FaultInjection:CrashAfterCommit";

    private int _consumed;

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (Interlocked.Increment(ref _consumed) == crashAt)
        {
            Console.Error.WriteLine($"FaultInjection: {Key}={crashAt}: message {_consumed} committed, not acknowledged; killing process {Environment.ProcessId} with SIGKILL");
            Console.Error.Flush();
            using var self = Process.GetCurrentProcess();
            self.Kill();
            Thread.Sleep(Timeout.Infinite);
        }
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// A clock whose timers go off at once, each noting in <paramref name="waits"/> how long it was set for:
/// retry back-off and poll intervals are recorded instead of slept. The time of day is <paramref name="time"/>'s;
/// a <see cref="ManualClock"/> moves on by each wait, as time would, so what is bounded in time (a device code, the
/// patience for a lock) runs out in a test too instead of being waited for forever.
/// </summary>
public sealed class InstantWaits(TimeProvider time, List<TimeSpan> waits) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => time.LocalTimeZone;

    public override long TimestampFrequency => time.TimestampFrequency;

    public override long GetTimestamp() => time.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan) return new GoneOff();
        lock (waits) waits.Add(dueTime);
        if (time is ManualClock manual) manual.Advance(dueTime);
        // On the thread pool, as a real timer fires: the caller may not have finished setting up.
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new GoneOff();
    }

    /// <summary>A timer that has gone off already: nothing left to change or stop.</summary>
    private sealed class GoneOff : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose() { }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

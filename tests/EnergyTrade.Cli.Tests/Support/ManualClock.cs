namespace EnergyTrade.Cli.Tests.Support;

/// <summary>A clock that moves only when told to, or (under <see cref="InstantWaits"/>) by each wait the CLI makes.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = now;

    public DateTimeOffset Now
    {
        get { lock (_lock) return _now; }
        set { lock (_lock) _now = value; }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock) _now += by;
    }

    public override DateTimeOffset GetUtcNow() => Now;
}

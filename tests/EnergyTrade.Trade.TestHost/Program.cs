using EnergyTrade.Trade.TestHost;
using MassTransit;

// Trade's own Program, with the test-only services added to its host as it is being built (the
// mechanism WebApplicationFactory uses), so the service under test is the one that ships.
using (HostBuildingHook.Install(host => host.ConfigureServices((context, services) =>
{
    if (context.Configuration.GetValue<int>(CrashAfterConsume.Key) is > 0 and var crashAt)
    {
        services.AddConsumeObserver(_ => new CrashAfterConsume(crashAt));
    }
})))
{
    var main = typeof(EnergyTrade.Trade.Totals.TotalsApplier).Assembly.EntryPoint
        ?? throw new InvalidOperationException("EnergyTrade.Trade has no entry point.");
    if (main.Invoke(null, [args]) is Task running) await running;
}

using System.Diagnostics;

namespace EnergyTrade.Trade.TestHost;

/// <summary>
/// Hands the host builder of the application this process runs to <paramref name="configure"/> when
/// the host is about to be built: Microsoft.Extensions.Hosting announces it on its DiagnosticListener
/// ("HostBuilding"), which is how test factories extend an application they start through its entry point.
/// </summary>
internal sealed class HostBuildingHook(Action<IHostBuilder> configure) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private readonly List<IDisposable> _subscriptions = [];

    public static IDisposable Install(Action<IHostBuilder> configure)
    {
        var hook = new HostBuildingHook(configure);
        hook._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(hook));
        return new Subscriptions(hook._subscriptions);
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "Microsoft.Extensions.Hosting") _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == "HostBuilding" && value.Value is IHostBuilder builder) configure(builder);
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    private sealed class Subscriptions(List<IDisposable> all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var subscription in all) subscription.Dispose();
        }
    }
}

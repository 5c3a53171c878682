using System.Net;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Output;
using Spectre.Console;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) for a person at a terminal: shows where to approve the
/// sign-in and the code to check there, on standard error, then polls the token endpoint at the interval the
/// provider asks for (five seconds more after each slow_down, or a throttling answer, whose Retry-After is honoured)
/// until the person approves or denies, or the code expires. A provider that cannot be reached is said so, and
/// polled less and less often while the code lasts. Ctrl-C stops the polling.
/// </summary>
public sealed class DeviceSignIn(IdentityProvider provider, CliEnvironment environment)
{
    /// <summary>RFC 8628 §3.2: without an interval, clients wait five seconds; §3.5: slow_down adds five.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
    /// <summary>The longest wait between polls of a provider that cannot be reached.</summary>
    public static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(60);
    /// <summary>How long a code lasts when the provider does not say.</summary>
    private static readonly TimeSpan DefaultExpiry = TimeSpan.FromMinutes(10);

    public async Task<TokenGrant> RunAsync(string clientId, string scope, CancellationToken cancellationToken)
    {
        var device = await provider.StartDeviceAuthorizationAsync(clientId, scope, cancellationToken);
        var lifetime = device.ExpiresIn is > 0 ? TimeSpan.FromSeconds(device.ExpiresIn.Value) : DefaultExpiry;
        var expiresAt = environment.Clock.GetUtcNow() + lifetime;
        var url = device.VerificationUriComplete is { Length: > 0 } complete ? complete : device.VerificationUri;
        environment.Error.Write(new Text(
            $"To sign in, open: {url}{Environment.NewLine}" +
            $"Code: {device.UserCode}{Environment.NewLine}" +
            $"Check that the page shows this code, then sign in there and approve. The code expires in {Minutes(lifetime)}; Ctrl-C cancels.{Environment.NewLine}"));
        var interval = device.Interval > 0 ? TimeSpan.FromSeconds(device.Interval) : DefaultInterval;
        if (!environment.ErrorIsTerminal) return await PollAsync(clientId, device.DeviceCode!, interval, expiresAt, _ => { }, cancellationToken);
        return await environment.Error.Status().Spinner(Spinner.Known.Dots).StartAsync("Waiting for the sign-in to be approved…",
            status => PollAsync(clientId, device.DeviceCode!, interval, expiresAt,
                left => status.Status($"Waiting for the sign-in to be approved… (the code expires in {Minutes(left)})"), cancellationToken));
    }

    private async Task<TokenGrant> PollAsync(string clientId, string deviceCode, TimeSpan interval, DateTimeOffset expiresAt, Action<TimeSpan> waiting,
        CancellationToken cancellationToken)
    {
        var wait = interval;
        var failures = 0;
        IdentityProviderException? unreachable = null;
        while (true)
        {
            var left = Left(expiresAt);
            if (left <= TimeSpan.Zero) throw Expired(unreachable);
            await environment.Delay(Min(wait, left), cancellationToken);
            left = Left(expiresAt);
            if (left <= TimeSpan.Zero) throw Expired(unreachable);
            waiting(left);
            TokenResponse response;
            try
            {
                response = await provider.PollDeviceTokenAsync(clientId, deviceCode, cancellationToken);
            }
            catch (IdentityProviderException problem) when (problem.Unreachable)
            {
                // Worth another poll while the code lasts, less and less often; said once, not at every poll.
                wait = Min(interval * Math.Pow(2, ++failures), LongestBackOff);
                if (unreachable is null) ErrorView.Warn(environment.Error, $"{problem.Message} Trying again while the code lasts ({Minutes(left)}).");
                unreachable = problem;
                continue;
            }
            failures = 0;
            unreachable = null;
            wait = interval;
            if (!response.IsError) return provider.Grant(response);
            cancellationToken.ThrowIfCancellationRequested();
            if (Throttled(response))
            {
                // Too many requests, or a provider in trouble: as slow_down, and no sooner than it asked (Retry-After).
                interval += SlowDownStep;
                wait = RetryAfter(response) is { } asked && asked > interval ? asked : interval;
                continue;
            }
            switch (IdentityProvider.Error(response))
            {
                case OidcConstants.TokenErrors.AuthorizationPending:
                    break;
                case OidcConstants.TokenErrors.SlowDown:
                    interval += SlowDownStep;
                    wait = interval;
                    break;
                case OidcConstants.TokenErrors.AccessDenied:
                    throw new IdentityProviderException("The sign-in was denied on the provider's page; nothing was saved.");
                case OidcConstants.TokenErrors.ExpiredToken:
                    throw Expired(null);
                default:
                    throw new IdentityProviderException($"The identity provider at {provider.Authority} refused the sign-in: {IdentityProvider.Reason(response)}.");
            }
        }
    }

    private TimeSpan Left(DateTimeOffset expiresAt) => expiresAt - environment.Clock.GetUtcNow();

    private static bool Throttled(ProtocolResponse response) =>
        response.HttpStatusCode == HttpStatusCode.TooManyRequests || (int)response.HttpStatusCode >= 500;

    /// <summary>Retry-After, in seconds or as a date.</summary>
    private TimeSpan? RetryAfter(ProtocolResponse response) => response.HttpResponse?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - environment.Clock.GetUtcNow(),
        _ => null,
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static IdentityProviderException Expired(IdentityProviderException? unreachable) =>
        new("The code expired before the sign-in was approved; nothing was saved. " +
            (unreachable is null ? "" : $"The last poll could not reach the provider: {unreachable.Message} ") +
            "Run energytrade login again.");

    private static string Minutes(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(2) ? $"{(int)Math.Round(span.TotalMinutes)} min" : $"{(int)Math.Ceiling(span.TotalSeconds)} s";
}

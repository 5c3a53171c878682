using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using EnergyTrade.Cli.Infrastructure;
using Spectre.Console;

namespace EnergyTrade.Cli.Auth;

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) for a person at a terminal: shows where to approve the
/// sign-in and the code to check there, on standard error, then polls the token endpoint at the interval the
/// provider asks for (five seconds more after each slow_down) until the person approves or denies, or the code
/// expires. Ctrl-C stops the polling.
/// </summary>
public sealed class DeviceSignIn(IdentityProvider provider, CliEnvironment environment)
{
    /// <summary>RFC 8628 §3.2: without an interval, clients wait five seconds; §3.5: slow_down adds five.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
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
        while (true)
        {
            await environment.Delay(interval, cancellationToken);
            var left = expiresAt - environment.Clock.GetUtcNow();
            if (left <= TimeSpan.Zero) throw Expired();
            waiting(left);
            var response = await provider.PollDeviceTokenAsync(clientId, deviceCode, cancellationToken);
            if (!response.IsError) return provider.Grant(response);
            cancellationToken.ThrowIfCancellationRequested();
            switch (IdentityProvider.Error(response))
            {
                case OidcConstants.TokenErrors.AuthorizationPending:
                    break;
                case OidcConstants.TokenErrors.SlowDown:
                    interval += SlowDownStep;
                    break;
                case OidcConstants.TokenErrors.AccessDenied:
                    throw new IdentityProviderException("The sign-in was denied on the provider's page; nothing was saved.");
                case OidcConstants.TokenErrors.ExpiredToken:
                    throw Expired();
                default:
                    // A dropped connection is worth another poll while the code lasts; a refusal is not.
                    if (response.ErrorType == ResponseErrorType.Exception) break;
                    throw new IdentityProviderException($"The identity provider at {provider.Authority} refused the sign-in: {IdentityProvider.Reason(response)}.");
            }
        }
    }

    private static IdentityProviderException Expired() =>
        new("The code expired before the sign-in was approved; nothing was saved. Run energytrade login again.");

    private static string Minutes(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(2) ? $"{(int)Math.Round(span.TotalMinutes)} min" : $"{(int)Math.Ceiling(span.TotalSeconds)} s";
}

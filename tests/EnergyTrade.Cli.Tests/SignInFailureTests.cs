using System.Net;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Tests.Support;

namespace EnergyTrade.Cli.Tests;

/// <summary>
/// Signing in when things go wrong: a provider that is down, slow or throttling, a code that runs out, Ctrl-C in the
/// middle of a renewal, and commands that renew, log in and log out at the same time.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SignInFailureTests : IDisposable
{
    private const string Authority = FakeIdentityProvider.Authority;

    private readonly SignInHome _home = new();

    private FakeIdentityProvider Provider => _home.Provider;

    private static object Tokens(string refreshToken, int expiresIn = 900) =>
        FakeIdentityProvider.Tokens("trader", "energytrade-cli", "shipments:read trade:read offline_access", expiresIn, refreshToken);

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_reported_as_such_with_exit_code_1_not_as_a_cancellation()
    {
        var run = _home.Run(new StallingHandler(Provider, _ => true));
        run.IdentityTimeout = TimeSpan.FromMilliseconds(200);

        Assert.Equal(ExitCodes.Failure, await run.RunAsync("login", "--authority", Authority));

        var error = run.Error.Flat();
        Assert.Contains($"The identity provider at {Authority} did not answer within", error);
        Assert.Contains("is it running, and reachable from here", error);
        Assert.DoesNotContain("Cancelled", error);
        Assert.False(File.Exists(_home.LoginFile));
    }

    [Fact]
    public async Task A_renewal_the_provider_does_not_answer_in_time_goes_on_with_the_current_token_while_it_lasts()
    {
        _home.SignedIn(TimeSpan.FromSeconds(50));
        var run = _home.Run(new StallingHandler(Provider, path => path == "/token"));
        run.IdentityTimeout = TimeSpan.FromMilliseconds(200);

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Contains("did not answer within", run.Error.Flat());
        Assert.Contains("Using the current token until it expires.", run.Error.Flat());
        Assert.Equal("Bearer access-1", Assert.Single(run.Server.Calls).Authorization);
        Assert.Equal("refresh-1", SignInHome.Read(_home.LoginFile).GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Logout_with_the_provider_down_still_deletes_the_tokens_and_says_the_refresh_token_was_not_revoked()
    {
        _home.SignedIn(TimeSpan.FromMinutes(10));
        var run = _home.Run(new DownHandler());

        Assert.Equal(0, await run.RunAsync("logout"));

        Assert.False(File.Exists(_home.LoginFile));
        Assert.Contains("Signed out trader through client energytrade-cli", run.Out.ToString());
        Assert.DoesNotContain("revoked", run.Out.ToString());
        Assert.Contains("Could not revoke the refresh token: Could not reach the identity provider", run.Error.Flat());
        Assert.Contains("It stays usable until it expires", run.Error.Flat());
        // The lock file stays: deleting it under a command that holds or awaits it would let a third one in.
        Assert.True(File.Exists(_home.LockFile));
    }

    [Fact]
    public async Task Logout_with_a_provider_that_hangs_deletes_the_tokens_and_stops_waiting_after_the_timeout()
    {
        _home.SignedIn(TimeSpan.FromMinutes(10));
        var run = _home.Run(new StallingHandler(Provider, _ => true));
        run.IdentityTimeout = TimeSpan.FromMilliseconds(200);

        Assert.Equal(0, await run.RunAsync("logout"));

        Assert.False(File.Exists(_home.LoginFile));
        Assert.Contains("did not answer within", run.Error.Flat());
        Assert.Empty(Provider.Revocations);
    }

    [Fact]
    public async Task Logout_of_a_sign_in_whose_provider_cannot_be_used_any_more_still_deletes_it()
    {
        // Cleartext to another machine: refused before anything is sent, which must not keep the tokens either.
        _home.SignedIn(TimeSpan.FromMinutes(10), authority: "http://login.example.test/");
        var run = _home.Run();

        Assert.Equal(0, await run.RunAsync("logout"));

        Assert.False(File.Exists(_home.LoginFile));
        Assert.Contains("is not https://", run.Error.Flat());
        Assert.Empty(Provider.Paths);
    }

    [Fact]
    public async Task A_provider_throttling_the_polls_is_waited_out_as_long_as_it_asks()
    {
        Provider.TokenAnswers.Enqueue((HttpStatusCode.TooManyRequests, FakeIdentityProvider.TooManyRequests(retryAfterSeconds: 60)));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.BadRequest, FakeIdentityProvider.Error("authorization_pending")));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-1")));
        var run = _home.Run();

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority));

        // Its Retry-After, then five seconds more than before from then on, as after a slow_down.
        Assert.Equal([5, 60, 10], run.Delays.Select(d => d.TotalSeconds));
        Assert.Equal("refresh-1", SignInHome.Read(_home.LoginFile).GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task A_provider_in_trouble_while_polling_is_polled_more_slowly_not_given_up_on()
    {
        Provider.TokenAnswers.Enqueue((HttpStatusCode.ServiceUnavailable, new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-1")));
        var run = _home.Run();

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority));

        Assert.Equal([5, 10], run.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task Polls_that_cannot_reach_the_provider_are_reported_once_and_spaced_out_until_it_answers()
    {
        Provider.FailTokenRequests = 3;
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-1")));
        var run = _home.Run();

        Assert.Equal(0, await run.RunAsync("login", "--authority", Authority));

        Assert.Equal([5, 10, 20, 40], run.Delays.Select(d => d.TotalSeconds));
        var error = run.Error.Flat();
        Assert.Single(error.Split("Could not reach the identity provider").Skip(1));
        Assert.Contains("Trying again while the code lasts", error);
        Assert.True(File.Exists(_home.LoginFile));
    }

    [Fact]
    public async Task A_code_that_expires_before_the_approval_says_so_and_saves_nothing()
    {
        for (var i = 0; i < 200; i++) Provider.TokenAnswers.Enqueue((HttpStatusCode.BadRequest, FakeIdentityProvider.Error("authorization_pending")));
        var run = _home.Run();

        Assert.Equal(ExitCodes.Failure, await run.RunAsync("login", "--authority", Authority));

        Assert.Contains("The code expired before the sign-in was approved; nothing was saved.", run.Error.Flat());
        // Ten minutes of five-second polls, and none after the code ran out.
        Assert.Equal(600.0, run.Delays.Sum(d => d.TotalSeconds));
        Assert.False(File.Exists(_home.LoginFile));
    }

    [Fact]
    public async Task Ctrl_C_during_a_renewal_still_keeps_the_refresh_token_the_provider_rotated()
    {
        _home.SignedIn(TimeSpan.FromSeconds(30));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-2")));
        using var ctrlC = new CancellationTokenSource();
        var run = _home.Run(new CancelOnTokenRequest(Provider, ctrlC));
        run.Cancellation = ctrlC.Token;

        Assert.Equal(ExitCodes.Cancelled, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Equal("refresh-2", SignInHome.Read(_home.LoginFile).GetProperty("refresh_token").GetString());
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task A_token_that_lives_a_minute_is_renewed_at_half_its_lifetime_not_before_every_call()
    {
        _home.SignedIn(TimeSpan.FromSeconds(60), lifetime: TimeSpan.FromSeconds(60));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-2", expiresIn: 60)));
        var run = _home.Run();

        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Empty(Provider.TokenRequests);
        _home.Clock.Now += TimeSpan.FromSeconds(31);
        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Single(Provider.TokenRequests);
        Assert.Equal(0, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Single(Provider.TokenRequests);
        var cached = SignInHome.Read(_home.LoginFile);
        Assert.Equal(_home.Clock.Now, cached.GetProperty("issued_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_renewal_held_up_by_another_command_gives_up_in_time_and_says_to_try_again()
    {
        _home.SignedIn(TimeSpan.FromSeconds(30));
        Directory.CreateDirectory(Path.GetDirectoryName(_home.LockFile)!);
        using var held = new FileStream(_home.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var run = _home.Run();

        Assert.Equal(ExitCodes.Failure, await run.RunAsync("trade", "totals", "AZ", "BY"));

        Assert.Contains("Another energytrade command is renewing profile default's sign-in", run.Error.Flat());
        Assert.Contains("try again", run.Error.Flat());
        // It waited longer than a renewal may take (two requests of 30 s), on the test's clock.
        Assert.True(run.Delays.Sum(d => d.TotalSeconds) > 60);
        Assert.Empty(Provider.TokenRequests);
        Assert.Empty(run.Server.Calls);
    }

    [Fact]
    public async Task Two_commands_renewing_at_once_spend_the_refresh_token_once()
    {
        _home.SignedIn(TimeSpan.FromSeconds(30));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-2")));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-3")));
        using var gate = new HeldTokenRequests(Provider);
        using var first = _home.Tokens(gate);
        using var second = _home.Tokens(gate);

        var renewing = first.PrepareAsync(CancellationToken.None);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = second.PrepareAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(waiting.IsCompleted, "the second command did not wait for the first one's renewal");
        gate.Open();
        await Task.WhenAll(renewing, waiting).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("refresh-1", Assert.Single(Provider.TokenRequests)["refresh_token"]);
        Assert.Equal(first.TokenFor(["trade:read"]), second.TokenFor(["trade:read"]));
        Assert.Equal("refresh-2", SignInHome.Read(_home.LoginFile).GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task A_renewal_does_not_write_over_a_sign_in_saved_while_it_was_under_way()
    {
        _home.SignedIn(TimeSpan.FromSeconds(30));
        Provider.TokenAnswers.Enqueue((HttpStatusCode.OK, Tokens("refresh-2")));
        using var gate = new HeldTokenRequests(Provider);
        using var tokens = _home.Tokens(gate);

        var renewing = tokens.PrepareAsync(CancellationToken.None);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        // Written without the lock, as by hand or by an older energytrade.
        _home.SignedIn(TimeSpan.FromMinutes(15), refreshToken: "refresh-new", accessToken: "access-new");
        gate.Open();
        await renewing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("refresh-new", SignInHome.Read(_home.LoginFile).GetProperty("refresh_token").GetString());
        Assert.Equal("access-new", tokens.TokenFor(["trade:read"]));
    }

    public void Dispose() => _home.Dispose();

    /// <summary>Presses Ctrl-C as the refresh goes to the token endpoint, then lets it through.</summary>
    private sealed class CancelOnTokenRequest(HttpMessageHandler inner, CancellationTokenSource ctrlC) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/token") await ctrlC.CancelAsync();
            return await base.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            // The fake provider belongs to the test.
        }
    }

    /// <summary>Holds the first request to the token endpoint until <see cref="Open"/>; the others pass.</summary>
    private sealed class HeldTokenRequests(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;

        /// <summary>Completes when the first token request arrives.</summary>
        public Task Reached => _reached.Task;

        public void Open() => _open.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/token" && Interlocked.Increment(ref _requests) == 1)
            {
                _reached.TrySetResult();
                await _open.Task.WaitAsync(cancellationToken);
            }
            return await base.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            // The fake provider belongs to the test; opening on disposal lets nothing hang.
            _open.TrySetResult();
        }
    }
}

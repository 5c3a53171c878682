using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyTrade.Cli.Auth;
using EnergyTrade.Cli.Tests.Support;
using EnergyTrade.Testing;
using EnergyTrade.Trade.V1;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class TokenTests
{
    public static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement;
    }

    [Fact]
    public async Task A_minted_token_passes_the_same_validation_the_services_apply()
    {
        var token = JwtMinter.Mint(TestAuth.SigningKey, TestAuth.Issuer, ["trade:read"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = TestAuth.Issuer,
            ValidAudience = "energytrade",
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestAuth.SigningKey)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("trade:read", result.Claims["scope"]);
    }

    [Fact]
    public async Task Without_credentials_no_authorization_header_is_sent()
    {
        var run = new CliRun();
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>("GetBilateralTotals", _ => Replies.SeedTotals());

        await run.RunAsync("trade", "totals", "AZ", "BY");

        Assert.Null(Assert.Single(run.Server.Calls).Authorization);
    }

    [Fact]
    public async Task A_given_token_is_sent_as_it_is()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_TOKEN"] = "given.token.value";
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "ignored-when-a-token-is-given-0123456789";
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>("GetBilateralTotals", _ => Replies.SeedTotals());

        await run.RunAsync("trade", "totals", "AZ", "BY");

        Assert.Equal("Bearer given.token.value", Assert.Single(run.Server.Calls).Authorization);
    }

    [Fact]
    public async Task The_token_command_prints_a_token_with_the_asked_scopes_and_issuer()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";
        run.Variables["ENERGYTRADE_ISSUER"] = "energytrade-local";

        Assert.Equal(0, await run.RunAsync("token", "--scope", "shipments:read trade:read"));

        var token = run.Json.ToString().Trim();
        var claims = Claims(token);
        Assert.Equal("shipments:read trade:read", claims.GetProperty("scope").GetString());
        Assert.Equal("energytrade-local", claims.GetProperty("iss").GetString());
        Assert.Equal("energytrade", claims.GetProperty("aud").GetString());
        var parts = token.Split('.');
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes("local-development-signing-key-0123456789"), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_'), parts[2]);
    }

    [Fact]
    public async Task The_token_command_without_credentials_says_to_sign_in_and_names_the_local_development_mode()
    {
        var run = new CliRun();
        Assert.Equal(4, await run.RunAsync("token"));
        Assert.Contains("Not signed in: run energytrade login", run.Error.ToString());
        Assert.Contains("local-development mode", run.Error.ToString());
        Assert.Contains(".run/up/secrets.env", run.Error.ToString());
    }

    [Fact]
    public async Task The_token_command_prints_a_given_token_as_it_is_and_refuses_a_lifetime_for_it()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_TOKEN"] = "given.token.value";

        Assert.Equal(0, await run.RunAsync("token"));
        Assert.Equal("given.token.value", run.Json.ToString().Trim());
        Assert.Equal(2, await run.RunAsync("token", "--lifetime", "5"));
        Assert.Contains("--lifetime is for tokens minted in local-development mode", run.Error.ToString());
    }

    [Fact]
    public async Task An_unknown_scope_is_refused()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "local-development-signing-key-0123456789";
        Assert.Equal(2, await run.RunAsync("token", "--scope", "admin"));
    }

    [Fact]
    public async Task A_signing_key_too_short_for_the_services_is_refused_with_where_to_find_the_right_one()
    {
        var run = new CliRun();
        run.Variables["ENERGYTRADE_SIGNING_KEY"] = "too-short-a-key";
        run.Server.On<GetBilateralTotalsRequest, BilateralTotals>("GetBilateralTotals", _ => Replies.SeedTotals());

        Assert.Equal(2, await run.RunAsync("trade", "totals", "AZ", "BY"));
        Assert.Contains("at least 32", run.Error.ToString());
        Assert.Contains(".run/up/secrets.env", run.Error.ToString());
        Assert.Empty(run.Server.Calls);
    }
}

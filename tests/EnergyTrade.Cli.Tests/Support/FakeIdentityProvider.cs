using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// An identity provider in-process, for what a real one cannot be made to do on cue (slow_down, a refresh token it
/// stopped honouring): discovery, a JWKS, and token, device and revocation endpoints answering from a queue.
/// The end-to-end tests use the real development provider.
/// </summary>
public sealed class FakeIdentityProvider : HttpMessageHandler
{
    public const string Authority = "https://login.example.test/";

    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "fake" };

    /// <summary>Answers of the token endpoint, in order: (status, JSON body).</summary>
    public ConcurrentQueue<(HttpStatusCode Status, object Body)> TokenAnswers { get; } = new();
    /// <summary>Every form posted to the token endpoint.</summary>
    public ConcurrentQueue<Dictionary<string, string>> TokenRequests { get; } = new();
    public ConcurrentQueue<Dictionary<string, string>> Revocations { get; } = new();
    public int Discoveries => _discoveries;
    private int _discoveries;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var form = request.Content is null ? new Dictionary<string, string>() : await Form(request.Content, cancellationToken);
        switch (path)
        {
            case "/.well-known/openid-configuration":
                Interlocked.Increment(ref _discoveries);
                return Json(HttpStatusCode.OK, new Dictionary<string, object>
                {
                    ["issuer"] = Authority,
                    ["jwks_uri"] = $"{Authority}jwks",
                    ["token_endpoint"] = $"{Authority}token",
                    ["device_authorization_endpoint"] = $"{Authority}device",
                    ["revocation_endpoint"] = $"{Authority}revoke",
                });
            case "/jwks":
                var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Key.Rsa.ExportParameters(false)) { KeyId = Key.KeyId });
                return Json(HttpStatusCode.OK, new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
            case "/device":
                return Json(HttpStatusCode.OK, new Dictionary<string, object>
                {
                    ["device_code"] = "device-code-1",
                    ["user_code"] = "WDJB-MJHT",
                    ["verification_uri"] = $"{Authority}verify",
                    ["verification_uri_complete"] = $"{Authority}verify?user_code=WDJB-MJHT",
                    ["expires_in"] = 600,
                });
            case "/token":
                TokenRequests.Enqueue(form);
                return TokenAnswers.TryDequeue(out var answer) ? Json(answer.Status, answer.Body) : Json(HttpStatusCode.BadRequest, Error("invalid_request", "no answer queued"));
            case "/revoke":
                Revocations.Enqueue(form);
                return new HttpResponseMessage(HttpStatusCode.OK);
            default:
                return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
    }

    /// <summary>A token endpoint's success: an RS256 access token with these claims, and a refresh token if given.</summary>
    public static object Tokens(string subject, string clientId, string scope, int expiresIn = 900, string? refreshToken = null)
    {
        var body = new Dictionary<string, object>
        {
            ["access_token"] = AccessToken(subject, clientId, scope, TimeSpan.FromSeconds(expiresIn)),
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
            ["scope"] = scope,
        };
        if (refreshToken is not null) body["refresh_token"] = refreshToken;
        return body;
    }

    public static object Error(string error, string? description = null) =>
        description is null ? new { error } : new { error, error_description = description };

    public static string AccessToken(string subject, string clientId, string scope, TimeSpan lifetime, DateTime? now = null)
    {
        var start = now ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = "energytrade",
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("client_id", clientId), new Claim("scope", scope), new Claim("jti", Guid.NewGuid().ToString("N"))]),
            IssuedAt = start,
            NotBefore = start,
            Expires = start + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static async Task<Dictionary<string, string>> Form(HttpContent content, CancellationToken cancellationToken)
    {
        var text = await content.ReadAsStringAsync(cancellationToken);
        return text.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "");
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };
}

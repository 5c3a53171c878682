using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EnergyTrade.Cli.Tests.Support;

/// <summary>
/// An identity provider in-process, for what a real one cannot be made to do on cue (slow_down, throttling, a refresh
/// token it stopped honouring, a dropped connection): discovery, a JWKS, and token, device and revocation endpoints
/// answering from a queue, at the paths its discovery document names (the default layout under <see cref="Issuer"/>,
/// or another provider's, as <see cref="EntraId"/>'s). The end-to-end tests use the real development provider.
/// </summary>
public sealed class FakeIdentityProvider : HttpMessageHandler
{
    public const string Authority = "https://login.example.test/";

    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "fake" };

    private readonly string _base;
    private int _discoveries;
    private int _failTokenRequests;

    /// <param name="issuer">The issuer (the authority the CLI is given).</param>
    /// <param name="discovery">The discovery document to serve; by default endpoints under the issuer (token, device, revoke, jwks).</param>
    public FakeIdentityProvider(string issuer = Authority, IReadOnlyDictionary<string, object>? discovery = null)
    {
        Issuer = issuer;
        _base = issuer.EndsWith('/') ? issuer : issuer + "/";
        Discovery = discovery ?? new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = $"{_base}jwks",
            ["token_endpoint"] = $"{_base}token",
            ["device_authorization_endpoint"] = $"{_base}device",
            ["revocation_endpoint"] = $"{_base}revoke",
        };
        VerificationUri = $"{_base}verify";
    }

    public string Issuer { get; }
    public IReadOnlyDictionary<string, object> Discovery { get; }
    /// <summary>The page a person is sent to; with <see cref="CompleteVerificationUri"/>, also with the code in it.</summary>
    public string VerificationUri { get; init; }
    public bool CompleteVerificationUri { get; init; } = true;

    /// <summary>Answers of the token endpoint, in order: (status, JSON body, or a whole <see cref="HttpResponseMessage"/>).</summary>
    public ConcurrentQueue<(HttpStatusCode Status, object Body)> TokenAnswers { get; } = new();
    /// <summary>Every form posted to the token endpoint.</summary>
    public ConcurrentQueue<Dictionary<string, string>> TokenRequests { get; } = new();
    public ConcurrentQueue<Dictionary<string, string>> Revocations { get; } = new();
    /// <summary>Every form posted to the device authorization endpoint.</summary>
    public ConcurrentQueue<Dictionary<string, string>> DeviceRequests { get; } = new();
    /// <summary>The path of every request, in order.</summary>
    public ConcurrentQueue<string> Paths { get; } = new();
    public int Discoveries => _discoveries;

    /// <summary>How many of the next token requests fail as a dropped connection does, before any answer.</summary>
    public int FailTokenRequests
    {
        get => Volatile.Read(ref _failTokenRequests);
        set => Volatile.Write(ref _failTokenRequests, value);
    }

    /// <summary>
    /// Microsoft Entra ID's v2.0 discovery document for a tenant, as login.microsoftonline.com serves it: the token and device
    /// endpoints under /TENANT/oauth2/v2.0, not under the issuer's path /TENANT/v2.0; userinfo on Microsoft Graph; no revocation.
    /// </summary>
    public static FakeIdentityProvider EntraId(string tenant)
    {
        const string Login = "https://login.microsoftonline.com";
        var issuer = $"{Login}/{tenant}/v2.0";
        return new FakeIdentityProvider(issuer, new Dictionary<string, object>
        {
            ["token_endpoint"] = $"{Login}/{tenant}/oauth2/v2.0/token",
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" },
            ["jwks_uri"] = $"{Login}/{tenant}/discovery/v2.0/keys",
            ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "id_token token" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            ["issuer"] = issuer,
            ["request_uri_parameter_supported"] = false,
            ["userinfo_endpoint"] = "https://graph.microsoft.com/oidc/userinfo",
            ["authorization_endpoint"] = $"{Login}/{tenant}/oauth2/v2.0/authorize",
            ["device_authorization_endpoint"] = $"{Login}/{tenant}/oauth2/v2.0/devicecode",
            ["http_logout_supported"] = true,
            ["frontchannel_logout_supported"] = true,
            ["end_session_endpoint"] = $"{Login}/{tenant}/oauth2/v2.0/logout",
            ["claims_supported"] = new[]
            {
                "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat",
                "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email",
            },
            ["kerberos_endpoint"] = $"{Login}/{tenant}/kerberos",
            ["tenant_region_scope"] = "EU",
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
            ["rbac_url"] = "https://pas.windows.net",
        })
        {
            VerificationUri = "https://microsoft.com/devicelogin",
            CompleteVerificationUri = false,
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Paths.Enqueue(path);
        var form = request.Content is null ? new Dictionary<string, string>() : await Form(request.Content, cancellationToken);
        if (path == $"{new Uri(_base).AbsolutePath}.well-known/openid-configuration")
        {
            Interlocked.Increment(ref _discoveries);
            return Json(HttpStatusCode.OK, Discovery);
        }
        if (path == PathOf("jwks_uri"))
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Key.Rsa.ExportParameters(false)) { KeyId = Key.KeyId });
            return Json(HttpStatusCode.OK, new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        }
        if (path == PathOf("device_authorization_endpoint"))
        {
            DeviceRequests.Enqueue(form);
            var answer = new Dictionary<string, object>
            {
                ["device_code"] = "device-code-1",
                ["user_code"] = "WDJB-MJHT",
                ["verification_uri"] = VerificationUri,
                ["expires_in"] = 600,
            };
            if (CompleteVerificationUri) answer["verification_uri_complete"] = $"{VerificationUri}?user_code=WDJB-MJHT";
            return Json(HttpStatusCode.OK, answer);
        }
        if (path == PathOf("token_endpoint"))
        {
            if (request.Headers.Authorization is { Scheme: "Basic", Parameter: { } basic })
            {
                // RFC 6749 §2.3.1: client id and secret, each form-encoded, in HTTP Basic.
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic)).Split(':', 2);
                form["client_id"] = WebUtility.UrlDecode(pair[0]);
                form["client_secret"] = WebUtility.UrlDecode(pair[1]);
            }
            TokenRequests.Enqueue(form);
            if (FailTokenRequests > 0 && Interlocked.Decrement(ref _failTokenRequests) >= 0)
            {
                throw new HttpRequestException("Connection refused (login.example.test:443)", new SocketException((int)SocketError.ConnectionRefused));
            }
            if (!TokenAnswers.TryDequeue(out var answer)) return Json(HttpStatusCode.BadRequest, Error("invalid_request", "no answer queued"));
            return answer.Body as HttpResponseMessage ?? Json(answer.Status, answer.Body);
        }
        if (path == PathOf("revocation_endpoint"))
        {
            Revocations.Enqueue(form);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private string? PathOf(string endpoint) => Discovery.TryGetValue(endpoint, out var url) ? new Uri((string)url).AbsolutePath : null;

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

    /// <summary>What a rate limiter answers (the development provider's: 429, Retry-After in seconds, no body).</summary>
    public static HttpResponseMessage TooManyRequests(int retryAfterSeconds)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds));
        return response;
    }

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

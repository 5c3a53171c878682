using System.Security.Claims;
using EnergyTrade.ServiceDefaults.Security;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class AuthOptionsTests
{
    private static AuthOptions Provider(Action<AuthOptions>? change = null)
    {
        var options = new AuthOptions { Authority = "https://login.example.org/realms/energytrade" };
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public void A_provider_over_https_with_the_defaults_is_a_configuration_that_starts() => Assert.Null(Provider().Problem());

    [Theory]
    [InlineData("http authority", "Auth:RequireHttpsMetadata=false")]
    [InlineData("both modes", "clear Auth:SigningKey")]
    [InlineData("symmetric algorithm", "symmetric")]
    [InlineData("no algorithm", "would accept any algorithm")]
    [InlineData("unknown scope", "shipments:reed")]
    [InlineData("short refresh", "Auth:KeyRefreshInterval")]
    [InlineData("relative authority", "not an absolute URL")]
    public void A_configuration_that_would_weaken_or_break_validation_is_refused_with_what_to_set(string change, string expected)
    {
        var options = Provider(o =>
        {
            switch (change)
            {
                case "http authority": o.Authority = "http://idp.example.org/"; break;
                case "both modes": o.SigningKey = new string('k', 40); break;
                case "symmetric algorithm": o.ValidAlgorithms = "RS256 HS256"; break;
                case "no algorithm": o.ValidAlgorithms = " "; break;
                case "unknown scope": o.RoleScopes["reader"] = "shipments:reed"; break;
                case "short refresh": o.KeyRefreshInterval = TimeSpan.FromMinutes(1); break;
                case "relative authority": o.Authority = "idp/realms/x"; o.RequireHttpsMetadata = false; break;
            }
        });
        Assert.Contains(expected, options.Problem());
    }

    [Fact]
    public void An_http_provider_is_allowed_only_when_https_metadata_is_explicitly_not_required()
    {
        Assert.NotNull(Provider(o => o.Authority = "http://localhost:5300/").Problem());
        Assert.Null(Provider(o => { o.Authority = "http://localhost:5300/"; o.RequireHttpsMetadata = false; }).Problem());
    }
}

[Trait("Category", "Unit")]
public sealed class RoleScopesTests
{
    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    private static readonly RoleScopes Mapped = new(["roles", "realm_access.roles", "resource_access.energytrade.roles"],
        new Dictionary<string, string> { ["reader"] = "shipments:read trade:read", ["importer"] = "shipments:write" }, scopesFromRoleNames: false);

    [Fact]
    public void Roles_in_plain_nested_and_client_claims_grant_the_scopes_mapped_to_them()
    {
        Assert.Equal(["shipments:read", "trade:read"], Mapped.ScopesOf(Token(("roles", "reader"))));
        Assert.Equal(["shipments:read", "trade:read"], Mapped.ScopesOf(Token(("realm_access", """{"roles":["offline_access","reader"]}"""))));
        Assert.Equal(["shipments:write"], Mapped.ScopesOf(Token(("resource_access", """{"energytrade":{"roles":["importer"]},"other":{"roles":["reader"]}}"""))));
    }

    [Fact]
    public void A_token_that_names_any_of_the_services_scopes_keeps_exactly_those_whatever_its_roles()
    {
        Assert.Empty(Mapped.ScopesOf(Token(("scope", "openid trade:read"), ("roles", "importer"))));
        Assert.Empty(Mapped.ScopesOf(Token(("scp", "shipments:read"), ("roles", "importer"))));
        // Only a provider's own scopes: roles decide.
        Assert.Equal(["shipments:write"], Mapped.ScopesOf(Token(("scope", "openid profile email"), ("roles", "importer"))));
    }

    [Fact]
    public void A_role_named_like_a_scope_grants_it_only_when_configured_to()
    {
        var named = Token(("roles", "trade:read"), ("roles", "unmapped"));
        Assert.Empty(Mapped.ScopesOf(named));
        Assert.Equal(["trade:read"], new RoleScopes(["roles"], new Dictionary<string, string>(), scopesFromRoleNames: true).ScopesOf(named));
    }

    [Fact]
    public void Malformed_or_missing_nested_claims_grant_nothing()
    {
        Assert.Empty(Mapped.ScopesOf(Token(("realm_access", "not json"))));
        Assert.Empty(Mapped.ScopesOf(Token(("realm_access", """{"roles":"reader-but-a-string-of-another-shape","x":1}"""))));
        Assert.Empty(Mapped.ScopesOf(Token(("resource_access", """{"energytrade":[]}"""))));
    }
}

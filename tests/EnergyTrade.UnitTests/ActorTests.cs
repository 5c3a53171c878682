using System.Security.Claims;
using EnergyTrade.Shipments.Revisions;

namespace EnergyTrade.UnitTests;

/// <summary>Who a revision says made a change: the token's subject, and its authorized party or client id.</summary>
[Trait("Category", "Unit")]
public sealed class ActorTests
{
    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));

    [Fact]
    public void The_subject_and_the_authorized_party_are_the_actor()
    {
        Assert.Equal(new Actor("alice", "energytrade-cli"), Actor.Of(User(("sub", "alice"), ("azp", "energytrade-cli"), ("client_id", "other"))));
    }

    [Fact]
    public void Without_an_authorized_party_the_client_id_names_the_client()
    {
        Assert.Equal(new Actor(null, "reconciler"), Actor.Of(User(("client_id", "reconciler"))));
    }

    [Fact]
    public void An_anonymous_caller_is_unknown()
    {
        Assert.Equal(new Actor(null, null), Actor.Of(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    [Fact]
    public void A_subject_longer_than_a_column_holds_is_not_recorded_rather_than_cut()
    {
        Assert.Equal(new Actor(null, "cli"), Actor.Of(User(("sub", new string('a', Actor.MaxLength + 1)), ("azp", "cli"))));
        Assert.Equal(new string('a', Actor.MaxLength), Actor.Of(User(("sub", new string('a', Actor.MaxLength))))!.Subject);
    }
}

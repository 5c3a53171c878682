using EnergyTrade.EventBus;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class RabbitMqEndpointTests
{
    [Fact]
    public void Host_alone_gets_the_default_port_vhost_and_guest_credentials()
    {
        Assert.Equal(new RabbitMqEndpoint("localhost", 5672, "/", "guest", "guest", false), RabbitMqEndpoint.Parse("amqp://localhost"));
    }

    [Fact]
    public void The_development_connection_string_parses()
    {
        Assert.Equal(
            new RabbitMqEndpoint("localhost", 55672, "/", "energytrade", "energytrade", false),
            RabbitMqEndpoint.Parse("amqp://energytrade:energytrade@localhost:55672/"));
    }

    [Theory]
    [InlineData("amqp://u:p@rabbit/", "/")]
    [InlineData("amqp://u:p@rabbit", "/")]
    [InlineData("amqp://u:p@rabbit/%2F", "/")]
    [InlineData("amqp://u:p@rabbit/%2f", "/")]
    [InlineData("amqp://u:p@rabbit/trade", "trade")]
    [InlineData("amqp://u:p@rabbit/%2Ftrade", "/trade")]
    [InlineData("amqp://u:p@rabbit/energy%20trade", "energy trade")]
    public void The_path_is_the_unescaped_virtual_host(string uri, string vhost)
    {
        Assert.Equal(vhost, RabbitMqEndpoint.Parse(uri).VirtualHost);
    }

    [Fact]
    public void User_and_password_are_unescaped()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqp://svc%40trade:p%40ss%3Aw%2Frd%25@rabbit:5672/");

        Assert.Equal("svc@trade", endpoint.Username);
        Assert.Equal("p@ss:w/rd%", endpoint.Password);
    }

    [Fact]
    public void A_password_may_contain_an_unescaped_colon()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqp://user:pa:ss@rabbit/");

        Assert.Equal("user", endpoint.Username);
        Assert.Equal("pa:ss", endpoint.Password);
    }

    [Fact]
    public void Amqps_means_tls_on_port_5671()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqps://u:p@rabbit.example.com/");

        Assert.True(endpoint.UseTls);
        Assert.Equal(5671, endpoint.Port);
        Assert.Equal("rabbit.example.com", endpoint.Host);
    }

    [Fact]
    public void Amqps_keeps_an_explicit_port()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqps://rabbit:15671");

        Assert.True(endpoint.UseTls);
        Assert.Equal(15671, endpoint.Port);
    }

    [Fact]
    public void Amqp_is_not_tls()
    {
        Assert.False(RabbitMqEndpoint.Parse("amqp://rabbit:5671/").UseTls);
    }

    [Theory]
    [InlineData("http://localhost:5672/")]
    [InlineData("https://guest:guest@localhost/")]
    [InlineData("localhost:5672")]
    [InlineData("rabbit")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Anything_but_an_amqp_uri_is_rejected_with_a_helpful_message(string? uri)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => RabbitMqEndpoint.Parse(uri));

        Assert.Contains("ConnectionStrings:RabbitMq", ex.Message, StringComparison.Ordinal);
        Assert.Contains("amqp://", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_never_shows_the_password()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqps://trade:s3cr3t-Pa55@rabbit:5671/%2F");

        var text = endpoint.ToString();

        Assert.DoesNotContain("s3cr3t-Pa55", text, StringComparison.Ordinal);
        Assert.Equal("amqps://trade@rabbit:5671/%2F", text);
        Assert.DoesNotContain("s3cr3t-Pa55", $"{endpoint}", StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_round_trips_everything_but_the_password()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqp://trade:secret@rabbit:5673/energy%20trade");

        var reparsed = RabbitMqEndpoint.Parse(endpoint.ToString());

        Assert.Equal(endpoint with { Password = "guest" }, reparsed);
    }
}

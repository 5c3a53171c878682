using System.Text.Json;
using EnergyTrade.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class HealthReportJsonTests
{
    private const string Secret = "Failed to connect to db-primary.internal:5432 as energytrade";

    private static HealthReport Report() => new(new Dictionary<string, HealthReportEntry>
    {
        // What DefaultHealthCheckService records for a check that threw: the message becomes the description.
        ["postgresql"] = new(HealthStatus.Unhealthy, Secret, TimeSpan.FromMilliseconds(12), new InvalidOperationException(Secret), null),
        ["rabbitmq"] = new(HealthStatus.Unhealthy, $"Not ready: {Secret}", TimeSpan.Zero, new InvalidOperationException("outer", new IOException(Secret)), null),
        ["outbox"] = new(HealthStatus.Degraded, "12 events waiting to be published", TimeSpan.FromMilliseconds(3), null,
            new Dictionary<string, object> { ["backlog"] = 12 }),
    }, TimeSpan.FromMilliseconds(15));

    [Fact]
    public void Anonymous_callers_get_the_overall_status_and_each_checks_status_only()
    {
        var json = JsonDocument.Parse(HealthReportJson.Render(Report(), detailed: false)).RootElement;

        Assert.Equal(["status", "checks"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Unhealthy", json.GetProperty("status").GetString());
        Assert.All(json.GetProperty("checks").EnumerateObject(), c => Assert.Equal(["status"], c.Value.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("Degraded", json.GetProperty("checks").GetProperty("outbox").GetProperty("status").GetString());
    }

    [Fact]
    public void Callers_with_a_token_also_get_descriptions_and_data()
    {
        var outbox = JsonDocument.Parse(HealthReportJson.Render(Report(), detailed: true)).RootElement.GetProperty("checks").GetProperty("outbox");

        Assert.Equal("12 events waiting to be published", outbox.GetProperty("description").GetString());
        Assert.Equal(12, outbox.GetProperty("data").GetProperty("backlog").GetInt32());
    }

    [Fact]
    public void Nobody_gets_an_exception_message_not_even_quoted_in_a_description()
    {
        var json = HealthReportJson.Render(Report(), detailed: true);

        Assert.DoesNotContain("db-primary", json);
        var checks = JsonDocument.Parse(json).RootElement.GetProperty("checks");
        Assert.Equal(HealthReportJson.FailedCheckDescription, checks.GetProperty("postgresql").GetProperty("description").GetString());
        Assert.Equal(HealthReportJson.FailedCheckDescription, checks.GetProperty("rabbitmq").GetProperty("description").GetString());
    }
}

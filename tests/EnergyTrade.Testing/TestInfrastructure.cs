using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace EnergyTrade.Testing;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ for tests live. scripts/test.sh starts private nodes and
/// passes them by environment variable; where Docker runs, Testcontainers starts them instead. There
/// is no third option: a test that needs a broker fails loudly rather than skipping.
/// </summary>
public sealed record TestInfrastructure(string PostgresAdmin, Uri RabbitMq, Uri RabbitMqManagement)
{
    public const string PostgresVariable = "ENERGYTRADE_TEST_POSTGRES";
    public const string RabbitMqVariable = "ENERGYTRADE_TEST_RABBITMQ";
    public const string ManagementVariable = "ENERGYTRADE_TEST_RABBITMQ_MANAGEMENT";

    private static readonly Lazy<Task<TestInfrastructure>> Shared = new(ResolveAsync);

    public static Task<TestInfrastructure> GetAsync() => Shared.Value;

    private static async Task<TestInfrastructure> ResolveAsync()
    {
        var pg = Environment.GetEnvironmentVariable(PostgresVariable);
        var amqp = Environment.GetEnvironmentVariable(RabbitMqVariable);
        var management = Environment.GetEnvironmentVariable(ManagementVariable);
        if (!string.IsNullOrEmpty(pg) && !string.IsNullOrEmpty(amqp) && !string.IsNullOrEmpty(management))
        {
            return new TestInfrastructure(pg, new Uri(amqp), new Uri(management));
        }
        if (DockerIsAvailable())
        {
            return await StartContainersAsync();
        }
        throw new InvalidOperationException(
            $"These tests need real PostgreSQL and RabbitMQ. Run them with scripts/test.sh, which starts both; " +
            $"or set {PostgresVariable} (an Npgsql admin connection string), {RabbitMqVariable} (amqp://user:pass@host:port/) " +
            $"and {ManagementVariable} (http://host:port of the management API, same user); or run where a Docker engine is available.");
    }

    private static bool DockerIsAvailable() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    private static async Task<TestInfrastructure> StartContainersAsync()
    {
        var postgres = new PostgreSqlBuilder("postgres:15").WithUsername("energytrade").WithPassword("energytrade").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:4.2-management")
            .WithUsername("energytrade").WithPassword("energytrade")
            .WithPortBinding(15672, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(15672).ForPath("/api/overview").WithBasicAuthentication("energytrade", "energytrade")))
            .Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
        var amqp = new UriBuilder(rabbit.GetConnectionString()) { UserName = "energytrade", Password = "energytrade", Path = "/" }.Uri;
        var management = new Uri($"http://{rabbit.Hostname}:{rabbit.GetMappedPublicPort(15672)}");
        return new TestInfrastructure(postgres.GetConnectionString(), amqp, management);
    }
}

using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>gRPC over TLS with certificates from scripts/make-local-ca.sh, and mutual TLS when a client CA is configured.</summary>
[Trait("Category", "Integration")]
public sealed class MutualTlsTests
{
    [Fact]
    public async Task Callers_need_a_certificate_from_the_internal_CA()
    {
        var dir = Directory.CreateTempSubdirectory("energytrade-tls-").FullName;
        try
        {
            var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "make-local-ca.sh")])
            {
                Environment = { ["TLS_OUT"] = dir },
                RedirectStandardOutput = true,
            })!;
            await script.WaitForExitAsync();
            Assert.Equal(0, script.ExitCode);

            await using var sut = await ServiceUnderTest.CreateAsync("tls");
            var port = ServiceProcess.FreePort();
            await sut.StartShipmentsAsync(environment: new Dictionary<string, string>
            {
                ["Kestrel__Endpoints__Grpc__Url"] = $"https://localhost:{port}",
                ["Kestrel__Endpoints__Grpc__Certificate__Path"] = Path.Combine(dir, "server.crt"),
                ["Kestrel__Endpoints__Grpc__Certificate__KeyPath"] = Path.Combine(dir, "server.key"),
                ["Tls__ClientCaPath"] = Path.Combine(dir, "ca.crt"),
            });
            var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "ca.crt"));
            using var client = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "client.crt"), Path.Combine(dir, "client.key"));
            // A certificate made by the same CA for a server must not pass as a client's.
            using var server = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "server.crt"), Path.Combine(dir, "server.key"));

            async Task<StatusCode> GetAsync(X509Certificate2? certificate)
            {
                var handler = new SocketsHttpHandler
                {
                    SslOptions = new SslClientAuthenticationOptions
                    {
                        RemoteCertificateValidationCallback = (_, presented, _, _) =>
                            presented is X509Certificate2 c && ServerIsIssuedBy(c, ca),
                        ClientCertificates = certificate is null ? null : [certificate],
                    },
                };
                using var channel = GrpcChannel.ForAddress($"https://localhost:{port}", new GrpcChannelOptions
                {
                    HttpHandler = handler,
                    Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor((_, m) =>
                    {
                        m.Add("Authorization", $"Bearer {TestAuth.Token()}");
                        return Task.CompletedTask;
                    })),
                });
                try
                {
                    await new ShipmentService.ShipmentServiceClient(channel)
                        .GetShipmentAsync(new GetShipmentRequest { Name = $"shipments/{Guid.NewGuid()}" }, Deadline());
                    return StatusCode.OK;
                }
                catch (RpcException ex)
                {
                    return ex.StatusCode;
                }
            }

            Assert.Equal(StatusCode.NotFound, await GetAsync(client));
            Assert.Equal(StatusCode.Unavailable, await GetAsync(null));
            Assert.Equal(StatusCode.Unavailable, await GetAsync(server));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool ServerIsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

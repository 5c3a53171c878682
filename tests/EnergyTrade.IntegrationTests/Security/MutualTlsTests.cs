using System.Net;
using System.Security.Cryptography.X509Certificates;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Grpc.Core;
using static EnergyTrade.IntegrationTests.ServiceUnderTest;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>gRPC and HTTP over TLS with certificates from scripts/make-local-ca.sh, and mutual TLS when a client CA is configured.</summary>
[Trait("Category", "Integration")]
public sealed class MutualTlsTests
{
    [Fact]
    public async Task Callers_need_a_certificate_from_the_internal_CA()
    {
        using var tls = await ServiceTls.CreateAsync();
        await using var sut = await ServiceUnderTest.CreateAsync("tls");
        // Ready means /health/ready answered over https to a caller with the client certificate.
        var (process, _) = await sut.StartShipmentsAsync(tls: tls);

        async Task<StatusCode> GetAsync(X509Certificate2? certificate)
        {
            using var channel = TestAuth.Channel(process.GrpcUrl, handler: tls.Handler(certificate));
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

        Assert.Equal(StatusCode.NotFound, await GetAsync(tls.ClientCertificate));
        // Refused in the TLS handshake, before the service sees the call. Under TLS 1.3 the server's
        // refusal of a client certificate can arrive after the client considers the handshake done, so
        // grpc-dotnet reports it as a failed connection (UNAVAILABLE) or a failed response (INTERNAL).
        Assert.Contains(await GetAsync(null), RefusedInHandshake);
        Assert.Contains(await GetAsync(tls.ServerCertificate), RefusedInHandshake);

        // The HTTP/1.1 endpoint serves the API as JSON: it must ask for the same certificate.
        var json = $"/v1/shipments/{Guid.NewGuid()}";
        using var withCertificate = new HttpClient(tls.Handler(tls.ClientCertificate)) { BaseAddress = process.HttpUrl };
        withCertificate.DefaultRequestHeaders.Authorization = new("Bearer", TestAuth.Token());
        Assert.Equal(HttpStatusCode.NotFound, (await withCertificate.GetAsync(json)).StatusCode);
        using var withoutCertificate = new HttpClient(tls.Handler(null)) { BaseAddress = process.HttpUrl };
        withoutCertificate.DefaultRequestHeaders.Authorization = new("Bearer", TestAuth.Token());
        await Assert.ThrowsAsync<HttpRequestException>(() => withoutCertificate.GetAsync(json));
    }

    private static readonly StatusCode[] RefusedInHandshake = [StatusCode.Unavailable, StatusCode.Internal];

    [Fact]
    public async Task A_client_CA_with_a_cleartext_endpoint_stops_the_service_at_start_saying_which_endpoint()
    {
        using var tls = await ServiceTls.CreateAsync();
        var grpc = new Uri($"https://127.0.0.1:{ServiceProcess.FreePort()}");
        // gRPC on https, the HTTP/1.1 endpoint left on the cleartext http:// that ServiceProcess gives it.
        await using var process = ServiceProcess.Start("Shipments",
            tls.Endpoint("Grpc", grpc).Append(new("Tls__ClientCaPath", tls.CaPath)).ToDictionary());

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        var log = process.RecentLog(200);
        Assert.Contains("Tls:ClientCaPath is set", log);
        Assert.Contains($"Kestrel:Endpoints:Http:Url = {process.HttpUrl.ToString().TrimEnd('/')}", log);
        Assert.Contains("Make every endpoint https://", log);
        Assert.DoesNotContain("Kestrel:Endpoints:Grpc:Url", log);
    }
}

using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EnergyTrade.ServiceDefaults.Security;

/// <summary>
/// TLS itself is plain Kestrel configuration (an https:// endpoint URL with Certificate:Path and
/// KeyPath). This adds mutual TLS: with Tls:ClientCaPath set, every HTTPS connection must present a
/// client certificate issued by that CA — our own internal CA, not the machine's trust store.
/// Then no endpoint may be cleartext: the HTTP/1.1 endpoint serves the API as JSON as well, so one
/// http:// endpoint would let callers skip the client certificate altogether.
/// </summary>
public static class TlsExtensions
{
    public static IHostApplicationBuilder AddMutualTls(this IHostApplicationBuilder builder)
    {
        var caPath = builder.Configuration["Tls:ClientCaPath"];
        if (string.IsNullOrWhiteSpace(caPath)) return builder;
        var cleartext = CleartextEndpoints.Find(builder.Configuration);
        if (cleartext.Count > 0)
        {
            throw new InvalidOperationException(
                $"Tls:ClientCaPath is set, so HTTPS endpoints require a client certificate, but Kestrel would also listen without TLS on " +
                $"{string.Join(", ", cleartext)}. The API is served there too (gRPC, or JSON on the HTTP/1.1 endpoint), without any client certificate. " +
                "Make every endpoint https:// (Kestrel:Endpoints:<name>:Url with Certificate:Path and Certificate:KeyPath; scripts/make-local-ca.sh " +
                "makes certificates), or unset Tls:ClientCaPath.");
        }
        if (!File.Exists(caPath))
        {
            throw new InvalidOperationException($"Tls:ClientCaPath points to {caPath}, which does not exist (scripts/make-local-ca.sh makes one).");
        }
        var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
        builder.Services.Configure<KestrelServerOptions>(k => k.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => IsIssuedBy(certificate, ca);
        }));
        return builder;
    }

    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        return chain.Build(certificate);
    }
}

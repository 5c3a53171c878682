using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EnergyTrade.Testing;

/// <summary>
/// A local CA and its certificates from scripts/make-local-ca.sh, in a temporary directory: the
/// settings that put a service's endpoints on https with mutual TLS, and client handlers that trust
/// the CA and present a certificate.
/// </summary>
public sealed class ServiceTls : IDisposable
{
    private ServiceTls(string directory)
    {
        Directory = directory;
        Ca = X509CertificateLoader.LoadCertificateFromFile(CaPath);
        ClientCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(directory, "client.crt"), Path.Combine(directory, "client.key"));
        ServerCertificate = X509Certificate2.CreateFromPemFile(ServerCertificatePath, ServerKeyPath);
    }

    public string Directory { get; }
    public string CaPath => Path.Combine(Directory, "ca.crt");
    public string ServerCertificatePath => Path.Combine(Directory, "server.crt");
    public string ServerKeyPath => Path.Combine(Directory, "server.key");
    public X509Certificate2 Ca { get; }
    /// <summary>Issued by the CA for client authentication.</summary>
    public X509Certificate2 ClientCertificate { get; }
    /// <summary>Issued by the same CA, but for servers: it must not pass as a client's.</summary>
    public X509Certificate2 ServerCertificate { get; }

    public static async Task<ServiceTls> CreateAsync()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("energytrade-tls-").FullName;
        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "make-local-ca.sh")])
        {
            Environment = { ["TLS_OUT"] = dir },
            RedirectStandardOutput = true,
        })!;
        await script.StandardOutput.ReadToEndAsync();
        await script.WaitForExitAsync();
        if (script.ExitCode != 0) throw new InvalidOperationException($"scripts/make-local-ca.sh exited with {script.ExitCode}");
        return new ServiceTls(dir);
    }

    /// <summary>An https endpoint with the server certificate, as Kestrel configuration.</summary>
    public IReadOnlyDictionary<string, string> Endpoint(string name, Uri url) => new Dictionary<string, string>
    {
        [$"Kestrel__Endpoints__{name}__Url"] = url.ToString().TrimEnd('/'),
        [$"Kestrel__Endpoints__{name}__Certificate__Path"] = ServerCertificatePath,
        [$"Kestrel__Endpoints__{name}__Certificate__KeyPath"] = ServerKeyPath,
    };

    /// <summary>Both endpoints on https and client certificates from the CA required.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment(Uri grpcUrl, Uri httpUrl) =>
        Endpoint("Grpc", grpcUrl).Concat(Endpoint("Http", httpUrl)).Append(new("Tls__ClientCaPath", CaPath)).ToDictionary();

    /// <summary>Trusts servers with a certificate from the CA only, and presents <paramref name="clientCertificate"/> if given.</summary>
    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 c && IsIssuedByCa(c),
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        },
    };

    private bool IsIssuedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Ca.Dispose();
        ClientCertificate.Dispose();
        ServerCertificate.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

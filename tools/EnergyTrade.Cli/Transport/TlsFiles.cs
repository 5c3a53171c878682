using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnergyTrade.Cli.Infrastructure;
using EnergyTrade.Cli.Profiles;

namespace EnergyTrade.Cli.Transport;

/// <summary>
/// The TLS files a command runs with (--ca-file, --client-certificate, --client-key, their variables or the
/// profile), loaded on first use: only https connections need them, so a profile's files do not stand in the way
/// of a cleartext development setup.
/// </summary>
public sealed class TlsFiles(Setting caFile, Setting clientCertificate, Setting clientKey) : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private X509Certificate2Collection? _authorities;
    private X509Certificate2? _certificate;

    public static TlsFiles Resolve(ConfigProfile profile, string? caFileOption = null, string? certificateOption = null, string? keyOption = null) =>
        new(profile.Resolve(ConfigKey.CaFile, caFileOption), profile.Resolve(ConfigKey.ClientCertificate, certificateOption),
            profile.Resolve(ConfigKey.ClientKey, keyOption));

    /// <summary>
    /// A handler that over https trusts the CA file besides the system's roots, and presents the client certificate if
    /// asked; without <paramref name="loadFiles"/> (a cleartext address) it reads none of the files.
    /// </summary>
    public SocketsHttpHandler Handler(bool presentCertificate, bool loadFiles = true)
    {
        var handler = new SocketsHttpHandler
        {
            // A service that is down should fail fast with UNAVAILABLE, not wait out the call's deadline.
            ConnectTimeout = TimeSpan.FromSeconds(5),
            EnableMultipleHttp2Connections = true,
        };
        if (!loadFiles) return handler;
        if (Authorities() is { } authorities)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusts(authorities, certificate, chain, errors);
        }
        if (presentCertificate && Certificate() is { } client) handler.SslOptions.ClientCertificates = [client];
        return handler;
    }

    /// <summary>
    /// A certificate the system trusts, or one that chains to a certificate of the CA file: for the name it was
    /// asked for, and for server authentication. Revocation is not checked (an internal CA publishes no CRL).
    /// </summary>
    public static bool Trusts(X509Certificate2Collection authorities, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return custom.Build(presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
    }

    private X509Certificate2Collection? Authorities()
    {
        if (_authorities is not null || caFile.Value is not { } path) return _authorities;
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(Existing(caFile));
        }
        catch (CryptographicException e)
        {
            throw new UsageException($"{caFile.Source} '{path}' is not a PEM certificate file ({e.Message.TrimEnd('.')}).");
        }
        if (authorities.Count == 0) throw new UsageException($"{caFile.Source} '{path}' holds no certificate (-----BEGIN CERTIFICATE-----).");
        return _authorities = authorities;
    }

    private X509Certificate2? Certificate()
    {
        if (_certificate is not null) return _certificate;
        if (clientCertificate.Value is null)
        {
            if (clientKey.Value is not null)
            {
                throw new UsageException($"{clientKey.Source} gives a client key but no client certificate: add --client-certificate " +
                    $"(or {ConfigKey.ClientCertificate.Variable}, or energytrade config set client_certificate FILE).");
            }
            return null;
        }
        var certificatePath = Existing(clientCertificate);
        var keyPath = clientKey.Value is null ? null : Existing(clientKey);
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (OperatingSystem.IsWindows())
            {
                // SChannel will not present a certificate whose key exists only in memory.
                using var ephemeral = certificate;
                certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
            }
            return _certificate = certificate;
        }
        catch (CryptographicException e)
        {
            var key = keyPath is null ? "its key in the same file" : $"{clientKey.Source} '{keyPath}'";
            throw new UsageException($"Could not load the client certificate {clientCertificate.Source} '{certificatePath}' with {key} " +
                $"({e.Message.TrimEnd('.')}). Give a PEM certificate and its unencrypted PEM key (scripts/make-local-ca.sh makes client.crt and client.key).");
        }
    }

    private static string Existing(Setting setting)
    {
        var path = Path.GetFullPath(setting.Value!);
        if (File.Exists(path)) return path;
        throw new UsageException($"{setting.Source} '{setting.Value}': there is no such file.");
    }

    public void Dispose()
    {
        _certificate?.Dispose();
        foreach (var authority in _authorities ?? []) authority.Dispose();
    }
}

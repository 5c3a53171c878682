using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using EnergyTrade.Shipments.V1;
using EnergyTrade.Testing;
using Google.Protobuf;
using Xunit.Abstractions;

namespace EnergyTrade.IntegrationTests.Security;

/// <summary>
/// The 256 KiB message limit holds for what a compressed message inflates to, not only for what
/// arrives: a gzip bomb is refused with RESOURCE_EXHAUSTED without the server inflating it. With
/// nothing bounding decompression, the five bombs below take the server's peak RSS up by ~3 GB.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CompressedRequestTests(ITestOutputHelper output)
{
    private const int MaxMessageBytes = 256 * 1024;
    private const int BombInflatedBytes = 200_000_000;
    private const int Bombs = 5;
    private const long MaxPeakGrowthBytes = 40L * 1024 * 1024;
    private const string CreateShipment = "/energytrade.shipments.v1.ShipmentService/CreateShipment";

    [Fact]
    public async Task Gzip_bombs_are_refused_with_RESOURCE_EXHAUSTED_and_leave_the_servers_peak_memory_almost_unchanged()
    {
        var bomb = GzipBomb();
        Assert.InRange(bomb.Length, 1, MaxMessageBytes - 1);
        await using var sut = await ServiceUnderTest.CreateAsync("gzip");
        var (process, _) = await sut.StartShipmentsAsync();
        using var http = Http2Client();

        // Warm-up, and proof that ordinary compressed requests still work.
        var created = await SendAsync(http, process.GrpcUrl, Gzip(new CreateShipmentRequest
        {
            Shipment = SeedShipments.Cargo("AZ", "Azeri Light", 700_000m, Quantity.Types.Unit.Barrels, null, 2020, 1, 20, "Supsa"),
            RequestId = Guid.NewGuid().ToString(),
        }.ToByteArray()));
        Assert.Equal("0", created.Status);
        Assert.StartsWith("shipments/", Shipment.Parser.ParseFrom(created.Message).Name);

        await File.WriteAllTextAsync($"/proc/{process.Pid}/clear_refs", "5"); // peak RSS := current RSS
        var before = Memory(process.Pid);
        var answers = new List<(string Status, string Detail)>();
        for (var i = 0; i < Bombs; i++)
        {
            var (status, detail, _) = await SendAsync(http, process.GrpcUrl, bomb);
            answers.Add((status, detail));
        }
        var after = Memory(process.Pid);

        var growth = after.PeakBytes - before.PeakBytes;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Bombs} bombs of {bomb.Length:N0} bytes inflating to {BombInflatedBytes:N0}: grpc-status {string.Join(",", answers.Select(a => a.Status))} ({answers[0].Detail}); " +
            $"server RSS {before.RssBytes / 1048576.0:F1} MiB before, peak {after.PeakBytes / 1048576.0:F1} MiB during, growth {growth / 1048576.0:F1} MiB"));
        Assert.All(answers, a =>
        {
            Assert.Equal("8", a.Status); // RESOURCE_EXHAUSTED
            Assert.Contains("exceeds the maximum configured message size", a.Detail);
        });
        Assert.True(growth < MaxPeakGrowthBytes, $"peak RSS grew by {growth / 1048576.0:F1} MiB");
        Assert.False(process.HasExited);
    }

    /// <summary>A CreateShipmentRequest whose request_id is 200 MB of one letter, gzipped as tightly as gzip goes (~1:1000).</summary>
    private static byte[] GzipBomb()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var header = new MemoryStream();
            var coded = new CodedOutputStream(header, leaveOpen: true);
            coded.WriteTag(CreateShipmentRequest.RequestIdFieldNumber, WireFormat.WireType.LengthDelimited);
            coded.WriteLength(BombInflatedBytes);
            coded.Flush();
            gzip.Write(header.ToArray());
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'a');
            for (var left = BombInflatedBytes; left > 0; left -= chunk.Length) gzip.Write(chunk, 0, Math.Min(left, chunk.Length));
        }
        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] message)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(message);
        return buffer.ToArray();
    }

    private static HttpClient Http2Client() => new(new SocketsHttpHandler())
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>A unary gRPC call by hand: one compressed length-prefixed message, gzip, a write token.</summary>
    private static async Task<(string Status, string Detail, byte[] Message)> SendAsync(HttpClient http, Uri grpcUrl, byte[] gzipped)
    {
        var frame = new byte[5 + gzipped.Length];
        frame[0] = 1; // compressed
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)gzipped.Length);
        gzipped.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(grpcUrl, CreateShipment))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        request.Headers.Add("grpc-encoding", "gzip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token(["shipments:write"]));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        // An error before any message is a trailers-only response: the status comes with the headers.
        string? Trailer(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
            : response.Headers.TryGetValues(name, out var header) ? header.Single()
            : null;
        var status = Trailer("grpc-status") ?? throw new InvalidOperationException($"No grpc-status in HTTP {(int)response.StatusCode}");
        return (status, Uri.UnescapeDataString(Trailer("grpc-message") ?? ""), body.Length > 5 && body[0] == 0 ? body[5..] : []);
    }

    private static (long RssBytes, long PeakBytes) Memory(int pid)
    {
        long Field(string[] lines, string name) =>
            long.Parse(lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return (Field(status, "VmRSS"), Field(status, "VmHWM"));
    }
}

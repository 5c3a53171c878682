using System.IO.Compression;
using EnergyTrade.ServiceDefaults.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace EnergyTrade.UnitTests;

[Trait("Category", "Unit")]
public sealed class BoundedCompressionProviderTests
{
    private const int Max = 1000;

    [Fact]
    public void A_message_of_exactly_the_limit_inflates()
    {
        Assert.Equal(Max, Inflate(Gzip(new byte[Max])).Length);
    }

    [Fact]
    public void One_byte_over_the_limit_is_RESOURCE_EXHAUSTED()
    {
        var ex = Assert.Throws<RpcException>(() => Inflate(Gzip(new byte[Max + 1])));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Asynchronous_reads_are_bounded_too()
    {
        await using var inflating = Provider().CreateDecompressionStream(new MemoryStream(Gzip(new byte[10 * Max])));
        var ex = await Assert.ThrowsAsync<RpcException>(() => inflating.CopyToAsync(new MemoryStream()));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public void No_more_than_one_byte_past_the_limit_is_ever_read_from_the_inflater()
    {
        var endless = new EndlessProvider();
        using var inflating = new BoundedCompressionProvider(endless, Max).CreateDecompressionStream(Stream.Null);

        Assert.Throws<RpcException>(() => inflating.CopyTo(new MemoryStream(), bufferSize: 64 * 1024));

        Assert.Equal(Max + 1, endless.Read);
    }

    [Fact]
    public void It_keeps_the_name_and_compression_of_the_provider_it_wraps()
    {
        var provider = Provider();
        var compressed = new MemoryStream();
        using (var compressing = provider.CreateCompressionStream(compressed, CompressionLevel.Fastest)) compressing.Write(new byte[10 * Max]);

        Assert.Equal("gzip", provider.EncodingName);
        var ex = Assert.Throws<RpcException>(() => Inflate(compressed.ToArray()));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private static BoundedCompressionProvider Provider() => new(new GzipCompressionProvider(CompressionLevel.Fastest), Max);

    private static byte[] Inflate(byte[] compressed)
    {
        var output = new MemoryStream();
        using (var inflating = Provider().CreateDecompressionStream(new MemoryStream(compressed))) inflating.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Inflates to an endless stream of zeros and counts what was read from it.</summary>
    private sealed class EndlessProvider : ICompressionProvider
    {
        public long Read => _stream.BytesRead;
        private readonly EndlessStream _stream = new();
        public string EncodingName => "endless";
        public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) => throw new NotSupportedException();
        public Stream CreateDecompressionStream(Stream stream) => _stream;

        private sealed class EndlessStream : Stream
        {
            public long BytesRead { get; private set; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
            public override int Read(Span<byte> buffer)
            {
                buffer.Clear();
                BytesRead += buffer.Length;
                return buffer.Length;
            }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}

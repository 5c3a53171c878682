using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace EnergyTrade.ServiceDefaults.Compression;

/// <summary>
/// A compression provider whose decompression stops with RESOURCE_EXHAUSTED once more than
/// <c>maxDecompressedBytes</c> came out. grpc-dotnet up to 2.83 checked MaxReceiveMessageSize against
/// a message's compressed length only and inflated it into an unbounded buffer: a 200 KB gzip bomb
/// became 200 MB per request. 2.85 bounds its own copy, but only while a MaxReceiveMessageSize is set;
/// this keeps the bound whatever the library version or a service's options.
/// </summary>
public sealed class BoundedCompressionProvider(ICompressionProvider inner, int maxDecompressedBytes) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) =>
        new BoundedReadStream(inner.CreateDecompressionStream(stream), maxDecompressedBytes);

    /// <summary>
    /// Reads at most max + 1 bytes from the inflater: one byte past the limit proves the message too
    /// large without inflating any more of it. grpc-dotnet keeps an RpcException's status, so the
    /// caller gets RESOURCE_EXHAUSTED as for an oversized uncompressed message.
    /// </summary>
    private sealed class BoundedReadStream(Stream inflater, int max) : Stream
    {
        private long _inflated;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Count(inflater.Read(buffer[..Allowed(buffer.Length)]));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inflater.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Allowed(int requested) => (int)Math.Min(requested, max + 1L - _inflated);

        private int Count(int read)
        {
            _inflated += read;
            if (_inflated > max)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"Decompressed message exceeds the maximum configured message size ({max} bytes)."));
            }
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inflater.Dispose();
            base.Dispose(disposing);
        }
    }
}

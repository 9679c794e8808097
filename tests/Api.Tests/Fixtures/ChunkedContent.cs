using System.Net;

namespace ServeNet.Api.Tests.Fixtures;

/// <summary>A JSON body sent without Content-Length (chunked), so the server only learns its size by reading.</summary>
public sealed class ChunkedContent : HttpContent
{
    private readonly byte[] _bytes;

    public ChunkedContent(byte[] bytes)
    {
        _bytes = bytes;
        Headers.ContentType = Http.JsonMediaType;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (int offset = 0; offset < _bytes.Length; offset += 16_384)
            await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(16_384, _bytes.Length - offset)));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

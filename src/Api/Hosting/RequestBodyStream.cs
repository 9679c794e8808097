using System.Buffers;
using System.IO.Pipelines;

namespace ServeNet.Api.Hosting;

/// <summary>
/// The request body as the endpoints read it: a stream over Kestrel's own body reader that throws
/// <see cref="RequestBodyTooLargeException"/> past a byte limit and, when its read is cancelled
/// (CancelPendingRead, on the request's time limit or the client going), hands the reader back in a
/// state Kestrel can drain or close cleanly. It consumes exactly what it examines: JSON binding
/// reading Kestrel's reader directly examines more than it consumes, and a body cut short then leaves
/// the connection's pipe mid-read (Kestrel logs "Reading is already in progress" with a stack, or
/// "automatic draining of the request body failed", dotnet/aspnetcore#17840).
/// </summary>
public sealed class RequestBodyStream(PipeReader reader, long limit, Action? onCutShort = null) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new InvalidOperationException("Synchronous reads of the request body are not allowed; use ReadAsync.");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        // A token passed to Kestrel's read would leave its reader mid-read when cancelled: cancel by CancelPendingRead instead.
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), reader)
            : default;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(CancellationToken.None);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status400BadRequest)
            {
                // Kestrel's only 400 while reading a body: it ended early (the client went, or sent less than it declared).
                onCutShort?.Invoke();
                throw;
            }
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start);
                throw new OperationCanceledException("Reading the request body was cancelled: the request's time limit expired or the client went away.");
            }
            if (destination.IsEmpty)
            {
                // A zero-byte read (PipeReader.Create's way of waiting for data): data is there, nothing taken.
                reader.AdvanceTo(buffer.Start);
                return 0;
            }
            if (!buffer.IsEmpty)
            {
                var chunk = buffer.Slice(0, Math.Min(buffer.Length, destination.Length));
                int length = (int)chunk.Length;
                chunk.CopyTo(destination.Span);
                reader.AdvanceTo(chunk.End); // the buffer is not ours after this
                _read += length;
                if (_read > limit) throw new RequestBodyTooLargeException(limit);
                return length;
            }
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted) return 0;
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

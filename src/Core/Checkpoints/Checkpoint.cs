using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServeNet.Core.Checkpoints;

/// <summary>
/// A checkpoint read fully into memory and verified: magic, version, length, SHA-256 checksum and
/// tensor table are all checked before anything is returned. Every failure is a
/// <see cref="CheckpointException"/> naming the file, the field, expected and actual.
/// </summary>
public sealed class Checkpoint
{
    private readonly Dictionary<string, Tensor> _tensors;

    private Checkpoint(string path, ushort minor, JsonObject metadata, Dictionary<string, Tensor> tensors, string sha256)
    {
        Path = path;
        MinorVersion = minor;
        Metadata = metadata;
        _tensors = tensors;
        Sha256 = sha256;
    }

    public string Path { get; }
    public ushort MinorVersion { get; }
    public JsonObject Metadata { get; }
    public IReadOnlyCollection<Tensor> Tensors => _tensors.Values;

    /// <summary>SHA-256 of the whole file, hex: identifies exactly which checkpoint is loaded.</summary>
    public string Sha256 { get; }

    /// <summary>The tensor of that name, which must have the given shape.</summary>
    public Tensor Tensor(string name, params int[] expectedShape)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
            throw new CheckpointException(Path, $"tensor '{name}'", "a tensor of that name (required by the metadata)",
                $"none; the file has {string.Join(", ", _tensors.Keys)}");
        if (!tensor.Shape.SequenceEqual(expectedShape))
            throw new CheckpointException(Path, $"tensor '{name}' shape", $"[{string.Join(", ", expectedShape)}] (from the metadata)",
                tensor.ShapeText, "The metadata and the weights disagree: was the file assembled from two runs?");
        return tensor;
    }

    /// <summary>Reads a metadata property, or explains which one is missing.</summary>
    public T Require<T>(string property)
    {
        var node = Metadata[property];
        try
        {
            return node is null
                ? throw new CheckpointException(Path, $"metadata.{property}", "a value", "nothing")
                : node.Deserialize<T>(CheckpointJson.Options)
                  ?? throw new CheckpointException(Path, $"metadata.{property}", $"a {typeof(T).Name}", "null");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(Path, $"metadata.{property}", $"a {typeof(T).Name}", node!.ToJsonString(), e.Message);
        }
    }

    public static Checkpoint Read(string path) => Read(path, long.MaxValue);

    /// <summary>
    /// Reads and verifies a checkpoint file. Its size and its header (magic, major version, the
    /// length it declares) are checked before the file is read whole, so a file that is too large or
    /// is not a checkpoint of this version costs no more than its first 40 bytes.
    /// </summary>
    /// <param name="maxBytes">Largest file accepted (a configured maximum; refused by its size alone).</param>
    public static Checkpoint Read(string path, long maxBytes)
    {
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            long length = file.Length;
            if (length > maxBytes)
                throw new CheckpointException(path, "file size", $"at most {maxBytes} bytes (the configured maximum)", $"{length} bytes",
                    "The file was not read. Is it the right file? Raise the maximum if the model really is this large.");
            Span<byte> header = stackalloc byte[CheckpointFormat.HeaderBytes];
            int headerLength = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            CheckHeader(path, header[..headerLength], length);
            if (length > Array.MaxLength)
                throw new CheckpointException(path, "file size", $"at most {Array.MaxLength} bytes", $"{length} bytes");
            bytes = GC.AllocateUninitializedArray<byte>((int)length);
            header.CopyTo(bytes);
            file.ReadExactly(bytes.AsSpan(CheckpointFormat.HeaderBytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, "file", "a readable checkpoint file", e.GetType().Name, e.Message);
        }
        return Parse(path, bytes);
    }

    // Magic, major version and declared length of the first 40 bytes of a file of fileLength bytes.
    private static void CheckHeader(string path, ReadOnlySpan<byte> header, long fileLength)
    {
        if (header.Length < CheckpointFormat.HeaderBytes)
            throw new CheckpointException(path, "header", $"at least {CheckpointFormat.HeaderBytes} bytes", $"a {fileLength}-byte file",
                "The file is truncated or is not a checkpoint.");
        if (!header[..8].SequenceEqual(CheckpointFormat.Magic))
            throw new CheckpointException(path, "magic", "\"SNETCKPT\"", Printable(header[..8]), "This is not a ServeNet checkpoint.");
        ushort major = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (major != CheckpointFormat.Major)
            throw new CheckpointException(path, "version.major", CheckpointFormat.Major.ToString(), major.ToString(),
                major > CheckpointFormat.Major
                    ? "It was written by a newer ServeNet: upgrade this reader, or retrain with this version."
                    : "It was written by an older, unsupported ServeNet: retrain it with this version.");
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        if (declared != (ulong)fileLength)
            throw new CheckpointException(path, "file length", $"{declared} bytes (from the header)", $"{fileLength} bytes",
                (ulong)fileLength < declared ? "The file is truncated: was the copy interrupted?" : "Extra bytes follow the checkpoint.");
    }

    public static Checkpoint Parse(string path, ReadOnlySpan<byte> bytes)
    {
        CheckHeader(path, bytes[..Math.Min(bytes.Length, CheckpointFormat.HeaderBytes)], bytes.Length);
        ushort minor = BinaryPrimitives.ReadUInt16LittleEndian(bytes[10..]);

        var body = bytes[..^CheckpointFormat.TrailerBytes];
        int bodyLength = body.Length;
        var trailer = bytes[^CheckpointFormat.TrailerBytes..];
        if (!trailer[32..].SequenceEqual(CheckpointFormat.EndMagic))
            throw new CheckpointException(path, "trailer", "\"SNETEND!\"", Printable(trailer[32..]), "The file is damaged at its end.");
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(body, digest);
        if (!digest.SequenceEqual(trailer[..32]))
            throw new CheckpointException(path, "checksum (SHA-256)", Convert.ToHexStringLower(trailer[..32]), Convert.ToHexStringLower(digest),
                "The file is corrupted: some byte changed after it was written.");

        ulong metadataLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        uint tensorCount = BinaryPrimitives.ReadUInt32LittleEndian(bytes[32..]);
        if (metadataLength > (ulong)body.Length - CheckpointFormat.HeaderBytes)
            throw new CheckpointException(path, "metadata length", $"at most {body.Length - CheckpointFormat.HeaderBytes}", metadataLength.ToString());

        var metadataBytes = body.Slice(CheckpointFormat.HeaderBytes, (int)metadataLength);
        JsonObject metadata;
        try
        {
            metadata = JsonNode.Parse(metadataBytes) as JsonObject
                ?? throw new CheckpointException(path, "metadata", "a JSON object", "another JSON value");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, "metadata", "valid UTF-8 JSON", "invalid JSON", e.Message);
        }

        int position = CheckpointFormat.HeaderBytes + (int)metadataLength;
        var tensors = new Dictionary<string, Tensor>((int)Math.Min(tensorCount, 4096));
        for (uint i = 0; i < tensorCount; i++)
        {
            string field = $"tensor table entry {i}";
            Need(2);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body[position..]);
            position += 2;
            Need(nameLength + 2);
            string name = Encoding.UTF8.GetString(body.Slice(position, nameLength));
            position += nameLength;
            var storage = (TensorStorage)body[position];
            int rank = body[position + 1];
            position += 2;
            if (storage is not (TensorStorage.Float32 or TensorStorage.Float16))
                throw new CheckpointException(path, $"{field} ('{name}') dtype", "1 (float32) or 2 (float16)", ((byte)storage).ToString());
            Need(4 * rank + 16);
            var shape = new int[rank];
            long count = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[(position + 4 * d)..]);
                count *= shape[d];
            }
            position += 4 * rank;
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(body[position..]);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(body[(position + 8)..]);
            position += 16;
            int size = storage == TensorStorage.Float16 ? 2 : 4;
            if (length != (ulong)(count * size))
                throw new CheckpointException(path, $"tensor '{name}' byte length", $"{count * size} for shape [{string.Join(", ", shape)}]", length.ToString());
            if (offset % CheckpointFormat.Alignment != 0 || offset + length > (ulong)body.Length)
                throw new CheckpointException(path, $"tensor '{name}' offset", $"a 64-byte aligned range inside {body.Length} bytes",
                    $"{offset}..{offset + length}");
            var payload = body.Slice((int)offset, (int)length);
            var values = GC.AllocateUninitializedArray<float>((int)count);
            if (storage == TensorStorage.Float16)
            {
                for (int j = 0; j < values.Length; j++) values[j] = (float)BinaryPrimitives.ReadHalfLittleEndian(payload[(2 * j)..]);
            }
            else if (BitConverter.IsLittleEndian)
            {
                payload.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                for (int j = 0; j < values.Length; j++) values[j] = BinaryPrimitives.ReadSingleLittleEndian(payload[(4 * j)..]);
            }
            if (!tensors.TryAdd(name, new Tensor(name, shape, values, storage)))
                throw new CheckpointException(path, $"{field} name", "a unique tensor name", $"a second '{name}'");
        }

        return new Checkpoint(path, minor, metadata, tensors, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        void Need(int count)
        {
            if (position + count > bodyLength)
                throw new CheckpointException(path, "tensor table", $"{count} more bytes at offset {position}", $"{bodyLength - position}");
        }
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = bytes[i] is >= 32 and < 127 ? (char)bytes[i] : '.';
        return $"\"{new string(chars)}\"";
    }
}

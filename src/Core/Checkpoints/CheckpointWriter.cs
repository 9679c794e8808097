using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServeNet.Core.Checkpoints;

/// <summary>
/// Writes a checkpoint to "path.tmp", flushes it to disk, then renames it over "path": a crash
/// or a full disk leaves the previous checkpoint intact, never a half-written one.
/// </summary>
public static class CheckpointWriter
{
    public static void Write(string path, JsonObject metadata, IReadOnlyList<Tensor> tensors)
    {
        foreach (var t in tensors)
            if (t.ElementCount != t.Values.Length)
                throw new ArgumentException($"Tensor '{t.Name}' has shape {t.ShapeText} but {t.Values.Length} values.");

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = path + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                WriteTo(file, metadata, tensors);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            throw;
        }
    }

    private static void WriteTo(Stream output, JsonObject metadata, IReadOnlyList<Tensor> tensors)
    {
        byte[] json = Encoding.UTF8.GetBytes(metadata.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        var table = new MemoryStream();
        var nameBytes = tensors.Select(t => Encoding.UTF8.GetBytes(t.Name)).ToArray();
        long tableBytes = tensors.Select((t, i) => 2 + nameBytes[i].Length + 2 + 4 * t.Shape.Length + 16).Sum();

        // Lay out payloads after header, metadata and table, each on a 64-byte boundary.
        long position = Align(CheckpointFormat.HeaderBytes + json.Length + tableBytes);
        var offsets = new long[tensors.Count];
        var lengths = new long[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            offsets[i] = position;
            lengths[i] = tensors[i].Values.Length * (tensors[i].Storage == TensorStorage.Float16 ? 2L : 4L);
            position = Align(position + lengths[i]);
        }
        long fileLength = position + CheckpointFormat.TrailerBytes;

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Emit(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            hash.AppendData(bytes);
        }

        Span<byte> header = stackalloc byte[CheckpointFormat.HeaderBytes];
        header.Clear();
        CheckpointFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], CheckpointFormat.Major);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], CheckpointFormat.Minor);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)fileLength);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)json.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[32..], (uint)tensors.Count);
        Emit(header);
        Emit(json);

        Span<byte> scratch = stackalloc byte[8];
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, (ushort)nameBytes[i].Length);
            Emit(scratch[..2]);
            Emit(nameBytes[i]);
            Emit([(byte)t.Storage, (byte)t.Shape.Length]);
            foreach (int d in t.Shape)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)d);
                Emit(scratch[..4]);
            }
            BinaryPrimitives.WriteUInt64LittleEndian(scratch, (ulong)offsets[i]);
            Emit(scratch);
            BinaryPrimitives.WriteUInt64LittleEndian(scratch, (ulong)lengths[i]);
            Emit(scratch);
        }

        long written = CheckpointFormat.HeaderBytes + json.Length + tableBytes;
        var buffer = new byte[1 << 16];
        for (int i = 0; i < tensors.Count; i++)
        {
            EmitPadding(offsets[i] - written);
            EmitValues(tensors[i]);
            written = offsets[i] + lengths[i];
        }
        EmitPadding(fileLength - CheckpointFormat.TrailerBytes - written);

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        output.Write(digest);
        output.Write(CheckpointFormat.EndMagic);

        void EmitPadding(long count)
        {
            Span<byte> zeros = stackalloc byte[CheckpointFormat.Alignment];
            zeros.Clear();
            Emit(zeros[..(int)count]);
        }

        void EmitValues(Tensor t)
        {
            int size = t.Storage == TensorStorage.Float16 ? 2 : 4;
            int perChunk = buffer.Length / size;
            for (int start = 0; start < t.Values.Length; start += perChunk)
            {
                int count = Math.Min(perChunk, t.Values.Length - start);
                var chunk = buffer.AsSpan(0, count * size);
                for (int j = 0; j < count; j++)
                {
                    float v = t.Values[start + j];
                    if (size == 2) BinaryPrimitives.WriteHalfLittleEndian(chunk[(j * 2)..], (Half)v);
                    else BinaryPrimitives.WriteSingleLittleEndian(chunk[(j * 4)..], v);
                }
                Emit(chunk);
            }
        }
    }

    private static long Align(long position) => (position + CheckpointFormat.Alignment - 1) / CheckpointFormat.Alignment * CheckpointFormat.Alignment;
}

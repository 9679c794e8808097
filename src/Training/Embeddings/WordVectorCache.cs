using System.Runtime.InteropServices;
using System.Text;
using ServeNet.Core.Embeddings;

namespace ServeNet.Training.Embeddings;

/// <summary>
/// Trained word vectors kept under a cache folder (.cache/word-vectors/&lt;key&gt;.bin), the key a hash of
/// everything that determines them (text, tokenizer, settings, engine version): a second run with
/// the same inputs loads in a fraction of a second instead of training again. Little-endian:
/// magic "SNWV", format version, count, dimension, the words, then the float32 vectors. Written to
/// a temporary file and renamed, so a cache file is always whole.
/// </summary>
public static class WordVectorCache
{
    private const uint Magic = 0x56574E53; // "SNWV"
    private const int FormatVersion = 1;

    public static string PathOf(string directory, string key) => Path.Combine(directory, $"{key}.bin");

    /// <summary>The cached vectors, or null when there are none (or the file is not a cache of this format).</summary>
    public static WordVectors? TryLoad(string directory, string key)
    {
        string path = PathOf(directory, key);
        if (!File.Exists(path)) return null;
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 20);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (stream.Length < 16 || reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion) return null;
        int count = reader.ReadInt32(), dimension = reader.ReadInt32();
        var words = new string[count];
        for (int i = 0; i < count; i++) words[i] = reader.ReadString();
        var vectors = GC.AllocateUninitializedArray<float>(count * dimension);
        stream.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan()));
        return new WordVectors(words, vectors, dimension);
    }

    public static void Save(string directory, string key, WordVectors vectors)
    {
        Directory.CreateDirectory(directory);
        string path = PathOf(directory, key), temporary = path + ".tmp";
        using (var stream = new BufferedStream(File.Create(temporary), 1 << 20))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(vectors.Words.Count);
            writer.Write(vectors.Dimension);
            foreach (var word in vectors.Words) writer.Write(word);
            writer.Write(MemoryMarshal.AsBytes(vectors.Vectors.AsSpan()));
        }
        File.Move(temporary, path, overwrite: true);
    }
}

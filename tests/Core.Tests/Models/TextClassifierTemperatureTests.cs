using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Sentiment;
using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Models;

public sealed class TextClassifierTemperatureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-temperature-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private string SaveTiny(float temperature)
    {
        var vocabulary = new Vocabulary(["good", "bad", "film"]);
        var network = new Classifier<TokenBatch>(new EmbeddingBag("embedding", vocabulary.Count, 4), [new Dense("output", 4, 2)]);
        network.Initialize(new SeededRandom(5));
        string path = Path.Combine(_directory, $"t{temperature}.ckpt");
        TextClassifier.Save(path, network, vocabulary, TokenizerSettings.Sentiment, ["negative", "positive"], "tiny", [], [], temperature: temperature);
        return path;
    }

    [Fact]
    public void Classify_WithTemperature_IsSoftmaxOfLogitsOverTAndKeepsTheLabel()
    {
        var plain = TextClassifier.Load(SaveTiny(1f));
        var cooled = TextClassifier.Load(SaveTiny(2.5f));
        Assert.Equal(2.5f, cooled.Temperature);
        foreach (var text in new[] { "good film", "bad film", "good bad", "" })
        {
            var p = plain.Classify(text).Probabilities;
            var q = cooled.Classify(text).Probabilities;
            // Binary: logit difference d = log(p1/p0); with T it becomes d/T.
            double d = Math.Log(p[1] / p[0]);
            Assert.Equal(1 / (1 + Math.Exp(-d / 2.5)), q[1], 4);
            Assert.Equal(plain.Classify(text).Label, cooled.Classify(text).Label);
        }
        var (result, contributions) = cooled.Explain("good film");
        Assert.Equal(cooled.Classify("good film").Probabilities, result.Probabilities);
        Assert.Equal(2, contributions.Length);
    }

    [Fact]
    public void Load_CheckpointWithoutTemperature_UsesOne()
    {
        Assert.Equal(1f, TextClassifier.Load(SaveTiny(1f)).Temperature);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void Save_NonPositiveTemperature_IsRefused(float temperature)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SaveTiny(temperature));
    }

    [Fact]
    public void Load_CheckpointWithZeroTemperature_NamesTheField()
    {
        var valid = ServeNet.Core.Checkpoints.Checkpoint.Read(SaveTiny(1f));
        var metadata = (System.Text.Json.Nodes.JsonObject)valid.Metadata.DeepClone();
        metadata["temperature"] = 0f;
        string path = Path.Combine(_directory, "zero.ckpt");
        ClassifierCheckpoint.Save(path, ClassifierCheckpoint.LoadTokenClassifier(valid), metadata);
        var error = Assert.Throws<ServeNet.Core.Checkpoints.CheckpointException>(() => TextClassifier.Load(path));
        Assert.Equal("metadata.temperature", error.Field);
    }
}

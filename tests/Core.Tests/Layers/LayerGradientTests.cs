using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Tensors;
using Xunit.Abstractions;

namespace ServeNet.Core.Tests.Layers;

public class LayerGradientTests(ITestOutputHelper output)
{
    public static TheoryData<string> FloatLayers() => ["dense", "dense-relu", "dense-leaky", "dense-tanh", "dense-sigmoid",
        "relu", "leaky-relu", "tanh", "sigmoid", "dropout"];

    private static ILayer Create(string kind) => kind switch
    {
        "dense" => new Dense("d", 7, 5),
        "dense-relu" => new Dense("d", 7, 5, Activation.Relu),
        "dense-leaky" => new Dense("d", 7, 5, Activation.LeakyRelu),
        "dense-tanh" => new Dense("d", 7, 5, Activation.Tanh),
        "dense-sigmoid" => new Dense("d", 7, 5, Activation.Sigmoid),
        "relu" => new ActivationLayer("a", 6, Activation.Relu),
        "leaky-relu" => new ActivationLayer("a", 6, Activation.LeakyRelu),
        "tanh" => new ActivationLayer("a", 6, Activation.Tanh),
        "sigmoid" => new ActivationLayer("a", 6, Activation.Sigmoid),
        "dropout" => new Dropout("p", 6, 0.4f),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(FloatLayers))]
    public void Layer_Backward_MatchesFiniteDifferences(string kind)
    {
        var layer = Create(kind);
        var random = new SeededRandom(11);
        layer.Initialize(random);
        foreach (var p in layer.Parameters) random.FillUniform(p.Value, -1, 1);
        const int batch = 4;
        // Inputs kept away from 0 so ReLU kinks are never crossed by the finite-difference step.
        var x = GradientCheck.RandomArray(batch * layer.InputSize, random, 0.1f, 1f);
        for (int i = 0; i < x.Length; i += 2) x[i] = -x[i];
        var projection = GradientCheck.RandomArray(batch * layer.OutputSize, random);
        var y = new float[batch * layer.OutputSize];
        var state = new float[batch * layer.StatePerRow];

        // L = Σ y ⊙ R, so dL/dy = R. Dropout draws the same mask each time from a fresh seeded stream.
        double Loss()
        {
            layer.Forward(x, batch, y, state, PassContext.Train(new SeededRandom(5)));
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)y[i] * projection[i];
            return sum;
        }

        Loss();
        var dX = new float[x.Length];
        layer.Backward(x, y, projection, batch, dX, state);

        double worst = GradientCheck.MaxRelativeError(Loss, x, dX, $"{kind} dX");
        foreach (var p in layer.Parameters)
            worst = Math.Max(worst, GradientCheck.MaxRelativeError(Loss, p.Value, p.Grad, $"{kind} d{p.Name}"));
        output.WriteLine($"{kind}: max relative error {worst:E2}");
    }

    [Fact]
    public void Dense_Backward_AddsIntoParameterGradients()
    {
        var layer = new Dense("d", 3, 2);
        layer.Initialize(new SeededRandom(1));
        float[] x = [1, 2, 3], dY = [1, -1], y = new float[2];
        layer.Forward(x, 1, y, [], PassContext.Inference);
        layer.Backward(x, y, dY, 1, [], []);
        var once = layer.Weight.Grad.ToArray();
        layer.Backward(x, y, dY, 1, [], []);
        Assert.Equal(once.Select(g => 2 * g), layer.Weight.Grad);
        Assert.Equal([2f, -2f], layer.Bias.Grad);
    }

    [Fact]
    public void Dropout_Inference_IsIdentity_AndTrainingKeepsTheExpectedMass()
    {
        var layer = new Dropout("p", 1000, 0.3f);
        var x = Enumerable.Repeat(1f, 1000).ToArray();
        var y = new float[1000];
        var state = new float[1000];
        layer.Forward(x, 1, y, state, PassContext.Inference);
        Assert.Equal(x, y);
        layer.Forward(x, 1, y, state, PassContext.Train(new SeededRandom(3)));
        int dropped = y.Count(v => v == 0f);
        Assert.InRange(dropped, 240, 360);
        Assert.InRange(y.Sum() / 1000f, 0.9f, 1.1f);
    }

    [Fact]
    public void EmbeddingBag_Backward_MatchesFiniteDifferences()
    {
        var bag = new EmbeddingBag("e", 10, 4);
        var random = new SeededRandom(2);
        bag.Initialize(random);
        int[] ids = [1, 3, 3, 7, 2, 9];
        int[] offsets = [0, 4, 4, 6]; // rows of 4, 0 and 2 ids
        var batch = new TokenBatch(ids, offsets);
        var projection = GradientCheck.RandomArray(3 * 4, random);
        var y = new float[12];
        var scratch = new InputScratch();

        double Loss()
        {
            bag.Forward(batch, y, scratch, PassContext.Inference);
            return y.Select((v, i) => (double)v * projection[i]).Sum();
        }

        Loss();
        Assert.Equal(0f, y[4..8].Max(Math.Abs)); // the empty row
        bag.Backward(batch, projection, scratch);
        GradientCheck.MaxRelativeError(Loss, bag.Table.Value, bag.Table.Grad, "bag dTable", maxEntries: 40);
        Assert.Equal([1, 3, 7, 2, 9], bag.Table.TouchedRows!.Rows);
    }

    [Fact]
    public void EmbeddingBag_WithScopes_BackwardMatchesFiniteDifferencesForTableAndMaps()
    {
        const int vocabulary = 10;
        var bag = new EmbeddingBag("e", vocabulary, 4, scopes: 2);
        var random = new SeededRandom(21);
        bag.Initialize(random);
        Assert.Equal(1f, bag.Scopes!.Value[4 * 4 + 0]); // M_2 starts as the identity
        random.FillUniform(bag.Scopes.Value, -1f, 1f); // then anything, for the check
        // Row 0: plain 1, 3; word 3 negated (scope 1); word 5 before a contrast (scope 2). Row 1: only scoped ids. Row 2: plain.
        int[] ids = [1, 3, 3 + vocabulary, 5 + 2 * vocabulary, 7 + vocabulary, 2 + vocabulary, 4, 8];
        var batch = new TokenBatch(ids, new[] { 0, 4, 6, 8 });
        var projection = GradientCheck.RandomArray(3 * 4, random);
        var y = new float[12];
        var scratch = new InputScratch();

        double Loss()
        {
            bag.Forward(batch, y, scratch, PassContext.Inference);
            return y.Select((v, i) => (double)v * projection[i]).Sum();
        }

        Loss();
        bag.Backward(batch, projection, scratch);
        GradientCheck.MaxRelativeError(Loss, bag.Table.Value, bag.Table.Grad, "bag dTable", maxEntries: 40);
        GradientCheck.MaxRelativeError(Loss, bag.Scopes.Value, bag.Scopes.Grad, "bag dScopes", maxEntries: 32);

        // What an id adds to a bag is what Explain removes: the mean of row 1 is the mean of its two representations.
        var expected = new float[4];
        bag.AddRepresentation(7 + vocabulary, expected, 0.5f);
        bag.AddRepresentation(2 + vocabulary, expected, 0.5f);
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], y[4 + i], 5);
    }

    [Fact]
    public void EmbeddingBag_WithScopes_InferenceAndTrainingPassesAgree()
    {
        // Inference applies the scope maps with DotRows, training with one library dot product per row (the rounding the
        // shipped checkpoints were trained with): the same sums up to the last bits.
        const int vocabulary = 40, dim = 37;
        var bag = new EmbeddingBag("e", vocabulary, dim, scopes: 2);
        var random = new SeededRandom(5);
        bag.Initialize(random);
        random.FillUniform(bag.Scopes!.Value, -1f, 1f);
        int[] ids = [1, 3 + vocabulary, 5 + 2 * vocabulary, 7 + vocabulary, 2, 9 + 2 * vocabulary, 4 + vocabulary];
        var batch = new TokenBatch(ids, new[] { 0, 4, 7 });
        var inference = new float[2 * dim];
        var training = new float[2 * dim];

        bag.Forward(batch, inference, new InputScratch(), PassContext.Inference);
        bag.Forward(batch, training, new InputScratch(), PassContext.Train(new SeededRandom(1)));

        for (int i = 0; i < inference.Length; i++) Assert.Equal(training[i], inference[i], 5);
    }

    [Fact]
    public void EmbeddingBag_WithScopesAtIdentity_EqualsThePlainBag()
    {
        var scoped = new EmbeddingBag("e", 6, 3, scopes: 2);
        var plain = new EmbeddingBag("e", 6, 3);
        scoped.Initialize(new SeededRandom(4));
        plain.Initialize(new SeededRandom(4));
        var y = new float[3];
        var z = new float[3];
        scoped.Forward(new TokenBatch(new[] { 1, 2 + 6, 5 + 12 }, new[] { 0, 3 }), y, new InputScratch(), PassContext.Inference);
        plain.Forward(new TokenBatch(new[] { 1, 2, 5 }, new[] { 0, 3 }), z, new InputScratch(), PassContext.Inference);
        for (int i = 0; i < 3; i++) Assert.Equal(z[i], y[i], 6);
    }

    [Fact]
    public void EmbeddingBag_WordDropout_KeepsAtLeastOneWordAndOnlyUpdatesKeptWords()
    {
        var bag = new EmbeddingBag("e", 100, 3, wordDropout: 0.9f);
        bag.Initialize(new SeededRandom(1));
        var ids = Enumerable.Range(0, 100).ToArray();
        var batch = new TokenBatch(ids, new[] { 0, 50, 100 });
        var scratch = new InputScratch();
        var y = new float[6];
        bag.Forward(batch, y, scratch, PassContext.Train(new SeededRandom(9)));
        Assert.True(scratch.HasKept);
        int kept = scratch.KeptOffsets[2];
        Assert.InRange(kept, 2, 25);
        bag.Backward(batch, new float[] { 1, 1, 1, 1, 1, 1 }, scratch);
        Assert.Equal(kept, bag.Table.TouchedRows!.Count);
    }

    [Fact]
    public void ConcatEmbedding_BagGroups_AverageNonPaddingIdsAndMatchFiniteDifferences()
    {
        // Per row: word id, then a bag of three character ids (0 = padding, excluded from the mean).
        var layer = new ConcatEmbedding("w", [new("words", 6, 3), new("chars", 9, 2)], [0, 1, 1, 1], [0, 1, 1, 1]);
        Assert.Equal(5, layer.OutputSize);
        var random = new SeededRandom(12);
        layer.Initialize(random);
        int[] ids = [2, 4, 7, 0, /* row 2 */ 5, 0, 0, 0, /* row 3 */ 1, 3, 3, 8];
        var batch = new TokenBatch(ids, new[] { 0, 4, 8, 12 });
        var y = new float[15];
        layer.Forward(batch, y, new InputScratch(), PassContext.Inference);
        var chars = layer.Tables[1];
        Assert.Equal((chars.Row(4)[0] + chars.Row(7)[0]) / 2, y[3], 6);
        Assert.Equal([0f, 0f], y[8..10]); // an all-padding bag is zero

        var projection = GradientCheck.RandomArray(15, random);
        double Loss()
        {
            layer.Forward(batch, y, new InputScratch(), PassContext.Inference);
            return y.Select((v, i) => (double)v * projection[i]).Sum();
        }
        Loss();
        layer.Backward(batch, projection, new InputScratch());
        foreach (var table in layer.Tables)
            GradientCheck.MaxRelativeError(Loss, table.Value, table.Grad, $"bag d{table.Name}");
        Assert.DoesNotContain(0, chars.TouchedRows!.Rows);
    }

    [Fact]
    public void ConcatEmbedding_Backward_MatchesFiniteDifferences()
    {
        var layer = new ConcatEmbedding("w", [new("words", 8, 3), new("shape", 4, 2)], [0, 1, 0, 1, 0, 1]);
        Assert.Equal(15, layer.OutputSize);
        var random = new SeededRandom(4);
        layer.Initialize(random);
        int[] ids = [1, 0, 5, 2, 5, 3, /* row 2 */ 7, 1, 0, 0, 2, 3];
        var batch = new TokenBatch(ids, new[] { 0, 6, 12 });
        var projection = GradientCheck.RandomArray(2 * 15, random);
        var y = new float[30];

        double Loss()
        {
            layer.Forward(batch, y, new InputScratch(), PassContext.Inference);
            return y.Select((v, i) => (double)v * projection[i]).Sum();
        }

        Loss();
        layer.Backward(batch, projection, new InputScratch());
        foreach (var table in layer.Tables)
            GradientCheck.MaxRelativeError(Loss, table.Value, table.Grad, $"concat d{table.Name}");
    }
}

using ServeNet.Core.Layers;
using ServeNet.Core.Ner;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Layers;

public class TaggerLayerGradientTests
{
    // L = Σ y ⊙ R over the written block, so dL/dy = R.
    private static double Dot(float[] y, float[] r) => y.Select((v, i) => (double)v * r[i]).Sum();

    [Fact]
    public void FofeContext_ForwardMatchesTheClosedFormAndBackwardMatchesFiniteDifferences()
    {
        var table = new Parameter("words", 9, 3, sparseRows: true);
        var random = new SeededRandom(3);
        random.FillUniform(table.Value, -1, 1);
        var fofe = new FofeContext(table, 0.6f);
        int[] ids = [2, 5, 7, 1, /* sentence 2 */ 4, 8, 3];
        int[] sentences = [0, 4, 7];
        const int stride = 8, offset = 1;
        var y = new float[ids.Length * stride];
        fofe.Forward(ids, sentences, y, stride, offset);
        // left[2] = α·E[2] + E[5]; right[4] = α·E[3] + E[8]; edges are zero.
        Assert.Equal(0.6f * table.Row(2)[0] + table.Row(5)[0], y[2 * stride + offset], 5);
        Assert.Equal(0.6f * table.Row(3)[1] + table.Row(8)[1], y[4 * stride + offset + 3 + 1], 5);
        Assert.Equal(0f, y[4 * stride + offset]);
        Assert.Equal(0f, y[3 * stride + offset + 3]);

        var projection = GradientCheck.RandomArray(y.Length, random);
        double Loss()
        {
            fofe.Forward(ids, sentences, y, stride, offset);
            return Dot(y, projection);
        }
        Loss();
        fofe.Backward(ids, sentences, projection, stride, offset, new float[3]);
        GradientCheck.MaxRelativeError(Loss, table.Value, table.Grad, "fofe dTable");
        Assert.DoesNotContain(0, table.TouchedRows!.Rows);
    }

    [Fact]
    public void CharConvolution_Backward_MatchesFiniteDifferences()
    {
        var conv = new CharConvolution("c", 7, 3, 3, 4, maxChars: 4);
        var random = new SeededRandom(8);
        conv.Initialize(random);
        random.FillUniform(conv.Bias.Value, -0.5f, 0.5f);
        // Tokens of 3, 1, 6 (cut to 4: first and last two) and 0 characters.
        int[] chars = [1, 2, 3, 4, 5, 6, 2, 3, 1, 6];
        int[] offsets = [0, 3, 4, 10, 10];
        const int rows = 4, stride = 6, offset = 2;
        int positions = conv.Positions(offsets, rows);
        Assert.Equal(3 + 1 + 4 + 1, positions);
        var columns = new float[positions * 9];
        var u = new float[positions * 4];
        var argmax = new int[rows * 4];
        var y = new float[rows * stride];
        var projection = GradientCheck.RandomArray(y.Length, random);
        double Loss()
        {
            conv.Forward(chars, offsets, rows, columns, u, argmax, y, stride, offset);
            return Dot(y, projection);
        }
        Loss();
        conv.Backward(chars, offsets, rows, columns, argmax, projection, stride, offset, new float[positions * 4], new float[positions * 9]);
        // Max-pooling is piecewise linear: a small step keeps the finite differences off its kinks.
        foreach (var p in conv.Parameters) GradientCheck.MaxRelativeError(Loss, p.Value, p.Grad, $"conv d{p.Name}", step: 1e-3);
        Assert.DoesNotContain(0, conv.Chars.TouchedRows!.Rows);
    }

    [Fact]
    public void MentionPool_AveragesTheOtherMentionsAndBackwardMatchesFiniteDifferences()
    {
        var random = new SeededRandom(5);
        const int rows = 6, d = 2, stride = 5;
        var x = GradientCheck.RandomArray(rows * stride, random);
        int[] leaders = [0, -1, 0, 3, 0, 5]; // group {0, 2, 4}, group {3} alone, none, {5} alone
        var y = new float[rows * stride];
        var sums = new float[rows * d];
        var counts = new int[rows];
        MentionPool.Forward(x, stride, 0, d, leaders, rows, sums, counts, y, stride, 3);
        Assert.Equal((x[2 * stride] + x[4 * stride]) / 2, y[3], 5);
        Assert.Equal(x[0 * stride + 1], y[4 * stride + 3 + 1] * 2 - x[2 * stride + 1], 5);
        Assert.Equal(0f, y[3 * stride + 3]);
        Assert.Equal(0f, y[1 * stride + 3]);

        var projection = GradientCheck.RandomArray(rows * stride, random);
        for (int t = 0; t < rows; t++) for (int c = 0; c < 3; c++) projection[t * stride + c] = 0; // only the pooled block counts
        double Loss()
        {
            MentionPool.Forward(x, stride, 0, d, leaders, rows, sums, counts, y, stride, 3);
            return Dot(y, projection);
        }
        Loss();
        var dX = new float[rows * stride];
        MentionPool.Backward(projection, stride, 3, d, leaders, rows, sums, counts, dX, stride, 0);
        GradientCheck.MaxRelativeError(Loss, x, dX, "pool dX");
    }

    [Fact]
    public void TaggerInput_WithEveryPart_BackwardMatchesFiniteDifferences()
    {
        var words = new ServeNet.Core.Text.Vocabulary(["leeds", "beat", "chelsea", "in", "the", "game"]);
        var cased = new ServeNet.Core.Text.Vocabulary(["Leeds", "beat", "Chelsea"]);
        var chars = new ServeNet.Core.Text.Vocabulary(["L", "e", "d", "s", "C", "h", "a"]);
        var features = new TaggerFeatures(new TaggerFeatureSettings(Window: 1, Suffix: false, Prefix: false, CasedWords: true,
            ContextAlpha: 0.7f, CharFilters: 3, CharWidth: 3, MaxChars: 6, Mentions: true), words, null, null, cased, chars);
        var input = TaggerInput.Create("input", features,
            [new("input.words", words.Count, 3), new("input.shapes", WordShape.Count, 2), new("input.cased", cased.Count, 2)], charDimension: 2);
        var random = new SeededRandom(22);
        input.Initialize(random);
        var encoding = new TaggerEncoding(features);
        encoding.AddDocument([["Leeds", "beat", "Chelsea"], ["Chelsea", "lost", "in", "Leeds", "."], ["LEEDS", "won"]]);
        var batch = encoding.All();
        Assert.Equal([0, -1, 2, 2, -1, -1, 0, -1, 0, -1], batch.Mentions.ToArray());

        var y = new float[batch.Rows * input.OutputSize];
        var projection = GradientCheck.RandomArray(y.Length, random);
        var scratch = new InputScratch();
        double Loss()
        {
            input.Forward(batch, y, scratch, PassContext.Inference);
            return Dot(y, projection);
        }
        Loss();
        input.Backward(batch, projection, scratch);
        // The window tables get gradients from the window, the sentence context and the other mentions.
        foreach (var p in input.Window.Parameters) GradientCheck.MaxRelativeError(Loss, p.Value, p.Grad, $"tagger input d{p.Name}");

        // The convolution's max-pooling has kinks everywhere in a batch this size: check its wiring against the
        // layer alone (whose gradients are checked above) fed the same columns of dY.
        var conv = input.Chars!;
        var alone = new CharConvolution("alone", conv.Chars.Rows, conv.Chars.Cols, conv.Width, conv.OutputSize, conv.MaxChars);
        for (int k = 0; k < 3; k++) conv.Parameters[k].Value.CopyTo(alone.Parameters[k].Value, 0);
        var offsets = batch.CharOffsets.Span;
        int positions = alone.Positions(offsets, batch.Rows);
        var columns = new float[positions * alone.Kernel.Rows];
        var argmax = new int[batch.Rows * alone.OutputSize];
        alone.Forward(batch.Chars.Span, offsets, batch.Rows, columns, new float[positions * alone.OutputSize], argmax, y, input.OutputSize, input.CharOffset);
        alone.Backward(batch.Chars.Span, offsets, batch.Rows, columns, argmax, projection, input.OutputSize, input.CharOffset,
            new float[positions * alone.OutputSize], new float[positions * alone.Kernel.Rows]);
        for (int k = 0; k < 3; k++) Assert.Equal(alone.Parameters[k].Grad, conv.Parameters[k].Grad);
        Assert.Contains(conv.Kernel.Grad, g => g != 0);
    }
}

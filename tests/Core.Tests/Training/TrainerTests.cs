using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Losses;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Optimization;
using ServeNet.Core.Tensors;
using ServeNet.Core.Training;

namespace ServeNet.Core.Tests.Training;

public class TrainerTests
{
    private static readonly BioLabels Labels = new(["PER"]); // O, B-PER, I-PER

    [Fact]
    public void SentenceCrfLoss_ForwardBackward_IsTheMeanOfEachSentencesLikelihood()
    {
        var random = new SeededRandom(3);
        var loss = new SentenceCrfLoss(Labels.Count, Labels.AllowedMask());
        random.FillUniform(loss.Transitions.Value, -1, 1);
        random.FillUniform(loss.Start.Value, -1, 1);
        var logits = new float[5 * 3];
        random.FillUniform(logits, -2, 2);
        int[] labels = [1, 2, 0, 0, 1];
        int[] segments = [0, 3, 5]; // two sentences: 3 and 2 tokens
        var dLogits = new float[logits.Length];

        double mean = loss.ForwardBackward(logits, labels, segments, 5, 3, dLogits);

        var allowed = Labels.AllowedMask();
        var (dT, dS) = (new float[9], new float[3]);
        var dE = new float[logits.Length];
        double first = LinearChainCrf.ForwardBackward(logits.AsSpan(0, 9), labels.AsSpan(0, 3), 3, 3, loss.Transitions.Value, loss.Start.Value, allowed, dE.AsSpan(0, 9), dT, dS);
        double second = LinearChainCrf.ForwardBackward(logits.AsSpan(9, 6), labels.AsSpan(3, 2), 2, 3, loss.Transitions.Value, loss.Start.Value, allowed, dE.AsSpan(9, 6), dT, dS);
        Assert.Equal((first + second) / 2, mean, 6);
        for (int i = 0; i < dE.Length; i++) Assert.Equal(dE[i] / 2, dLogits[i], 6);
        for (int i = 0; i < dT.Length; i++) Assert.Equal(dT[i] / 2, loss.Transitions.Grad[i], 6);
        for (int i = 0; i < dS.Length; i++) Assert.Equal(dS[i] / 2, loss.Start.Grad[i], 6);
    }

    [Fact]
    public void SentenceCrfLoss_SegmentsNotCoveringTheBatch_Throw()
    {
        var loss = new SentenceCrfLoss(Labels.Count, Labels.AllowedMask());
        var error = Assert.Throws<ArgumentException>(() => loss.ForwardBackward(new float[6], [0, 0], [0, 1], 2, 3, new float[6]));
        Assert.Contains("0 to the 2 rows", error.Message);
    }

    [Fact]
    public void Trainer_WithCrfLoss_UpdatesTheTransitionsWithTheNetwork()
    {
        var model = new Classifier<DenseBatch>(new DenseInput("x", 2), [new Dense("out", 2, 3)]);
        model.Initialize(new SeededRandom(1));
        var loss = new SentenceCrfLoss(Labels.Count, Labels.AllowedMask());
        var trainer = new Trainer<DenseBatch>(model, new Adam(0.1f), new SeededRandom(2), loss: loss);
        Assert.Equal(model.Parameters.Count + 2, trainer.Parameters.Count);

        var x = new DenseBatch(new float[] { 1, 0, 0, 1, 1, 1 }, 3);
        double firstLoss = trainer.Step(x, [1, 2, 0], [0, 3]);
        Assert.NotEqual(0f, loss.Transitions.Value[1 * 3 + 2]); // B-PER → I-PER was trained
        double lastLoss = firstLoss;
        for (int i = 0; i < 50; i++) lastLoss = trainer.Step(x, [1, 2, 0], [0, 3]);
        Assert.True(lastLoss < firstLoss * 0.5, $"loss {firstLoss} → {lastLoss}");
        Assert.All(trainer.Parameters, p => Assert.All(p.Grad, g => Assert.Equal(0f, g))); // zeroed after the update
    }

    [Fact]
    public void AnchorRegularizer_AddsThePullTowardsTheStartOnTouchedRowsOnly()
    {
        var table = new Parameter("embedding.table", 4, 2, sparseRows: true);
        new SeededRandom(1).FillUniform(table.Value, -1, 1);
        var anchor = new AnchorRegularizer(table, strength: 0.5f);
        table.Row(1)[0] += 2f;
        table.Row(3)[1] -= 4f;
        table.TouchedRows!.Add(1);

        anchor.AddGradients();

        Assert.Equal(1f, table.GradRow(1)[0], 5);              // 0.5 · (w − w₀)
        Assert.Equal(0f, table.GradRow(1)[1]);
        Assert.Equal([0f, 0f], table.GradRow(3).ToArray());   // moved, but not touched by this batch
    }
}

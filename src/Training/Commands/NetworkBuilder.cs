using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Tensors;

namespace ServeNet.Training.Commands;

/// <summary>The feed-forward part both models share: input dropout, hidden layers with dropout, output scores.</summary>
public static class NetworkBuilder
{
    // input → [Dropout] → (Dense → activation → [Dropout]) × hidden → Dense → classes
    public static Classifier<TBatch> Build<TBatch>(IInputLayer<TBatch> input, TrainingSettings settings, int classes) where TBatch : struct, IBatch
    {
        var layers = new List<ILayer>();
        int width = input.OutputSize;
        if (settings.InputDropout > 0) layers.Add(new Dropout("input.dropout", width, settings.InputDropout));
        for (int i = 0; i < settings.Hidden.Length; i++)
        {
            layers.Add(new Dense($"hidden{i + 1}", width, settings.Hidden[i], settings.Activation));
            if (settings.Dropout > 0) layers.Add(new Dropout($"dropout{i + 1}", settings.Hidden[i], settings.Dropout));
            width = settings.Hidden[i];
        }
        layers.Add(new Dense("output", width, classes));
        return new Classifier<TBatch>(input, layers);
    }
}

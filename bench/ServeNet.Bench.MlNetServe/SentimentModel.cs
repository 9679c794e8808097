using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ServeNet.Bench.MlNetServe;

/// <summary>Where the model is and what it is called ("MlNet" section; MlNet__ModelPath=... in the environment).</summary>
public sealed class MlNetOptions
{
    public const string Section = "MlNet";

    /// <summary>The .zip written by <c>ServeNet.Bench.MlNet --save-model PATH</c>.</summary>
    public string ModelPath { get; set; } = "mlnet-sentiment.zip";

    public string ModelName { get; set; } = "sentiment-mlnet";
}

/// <summary>The model's input column: the raw sentence (FeaturizeText tokenizes it).</summary>
public sealed class SentimentInput
{
    public string Text { get; set; } = "";
}

/// <summary>SDCA logistic regression's outputs: the decision, p(positive) and the raw score.</summary>
public sealed class SentimentPrediction
{
    [ColumnName("PredictedLabel")]
    public bool Positive { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}

/// <summary>The loaded model: its pool of engines, name, and a version derived from the file's bytes.</summary>
public sealed class SentimentModel
{
    public static readonly string[] Labels = ["negative", "positive"];

    public SentimentModel(MlNetOptions options)
    {
        if (!File.Exists(options.ModelPath))
            throw new FileNotFoundException($"ML.NET model '{Path.GetFullPath(options.ModelPath)}' not found: train it with "
                + "'dotnet bench/ServeNet.Bench.MlNet/bin/Release/net10.0/ServeNet.Bench.MlNet.dll --save-model PATH' (bench http does this).");
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(options.ModelPath, out _);
        Engines = new PredictionEnginePool<SentimentInput, SentimentPrediction>(ml, model);
        Name = options.ModelName;
        using var file = File.OpenRead(options.ModelPath);
        Version = $"{Name}-{Convert.ToHexStringLower(SHA256.HashData(file))[..12]}";
    }

    public PredictionEnginePool<SentimentInput, SentimentPrediction> Engines { get; }
    public string Name { get; }
    public string Version { get; }
}

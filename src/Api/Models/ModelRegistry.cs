using Microsoft.Extensions.Options;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;

namespace ServeNet.Api.Models;

/// <summary>The models this service serves, one slot each; ready when every slot serves a warmed-up model.</summary>
public sealed class ModelRegistry
{
    private readonly TaskCompletionSource _startup = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ModelRegistry(IOptions<ModelsOptions> options)
    {
        var settings = options.Value;
        Directory = ModelDirectory.Resolve(settings.Directory);
        Sentiment = new ModelSlot<TextClassifier>("sentiment", "/classify", Path.Combine(Directory, settings.SentimentFile),
            settings.MaxCheckpointBytes, TextClassifier.FromCheckpoint, m => m.Info, ModelWarmUp.Classifier);
        Ner = new ModelSlot<EntityTagger>("ner", "/ner", Path.Combine(Directory, settings.NerFile),
            settings.MaxCheckpointBytes, EntityTagger.FromCheckpoint, m => m.Info, ModelWarmUp.Tagger);
        All = [Sentiment, Ner];
    }

    /// <summary>Absolute path of the models folder.</summary>
    public string Directory { get; }

    public ModelSlot<TextClassifier> Sentiment { get; }
    public ModelSlot<EntityTagger> Ner { get; }
    public IReadOnlyList<ModelSlot> All { get; }

    public bool IsReady => Sentiment.IsReady && Ner.IsReady;

    /// <summary>Completes when the start-up load of every slot has finished, whatever its outcome.</summary>
    public Task StartupLoadCompleted => _startup.Task;

    internal void MarkStartupLoadCompleted() => _startup.TrySetResult();

    public ModelSlot? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

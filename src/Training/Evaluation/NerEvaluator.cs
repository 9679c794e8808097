using System.Numerics.Tensors;
using ServeNet.Core.Layers;
using ServeNet.Core.Ner;
using ServeNet.Training.Data;

namespace ServeNet.Training.Evaluation;

/// <summary>A tagger's scores on gold-tagged sentences: its own decoding and, for comparison, greedy argmax.</summary>
/// <param name="Tagged">Gold and predicted (shipped decoding) tags of every sentence, for reports and confusion tables.</param>
public sealed record NerEvaluation(ConllScore Constrained, ConllScore Greedy,
    IReadOnlyList<(IReadOnlyList<string> Gold, IReadOnlyList<string> Guessed)> Tagged)
{
    public EntityConfusion Confusion(IReadOnlyList<string> types) => new(types, Tagged);
}

/// <summary>
/// Scores taggers on tokenized, gold-tagged sentences exactly as they serve (features, network,
/// BIO-constrained decoding of <see cref="EntityTagger"/>): the trainer (each epoch), <c>evaluate</c>
/// and the tests all go through here. Several taggers are an ensemble: mean emissions (log-probabilities
/// for softmax taggers) decoded with the mean transitions (a product of experts in log space).
/// </summary>
public static class NerEvaluator
{
    public static NerEvaluation Evaluate(IReadOnlyList<EntityTagger> taggers, IReadOnlyList<TaggedSentence> sentences)
    {
        var labels = taggers[0].Labels;
        var decoder = TagDecoder.Average(taggers.Select(t => t.Decoder).ToArray());
        var words = sentences.Select(s => (IReadOnlyList<string>)s.Words).ToArray();
        // Document by document, as a text is served: a tagger that pools a name's mentions sees the whole document.
        var documents = sentences.Select(s => s.Document).ToArray();
        var emissions = taggers.Count == 1 ? taggers[0].Emissions(words, documents) : MeanEmissions(taggers, words, documents);

        var constrained = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>(sentences.Count);
        var greedy = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>(sentences.Count);
        for (int s = 0; s < sentences.Count; s++)
        {
            int n = sentences[s].Words.Length;
            var path = decoder.Decode(emissions[s], n, new float[n * labels.Count]);
            var argmax = BioDecoder.Greedy(emissions[s], n, labels.Count);
            constrained.Add((sentences[s].Tags, path.Select(i => labels.Labels[i]).ToArray()));
            greedy.Add((sentences[s].Tags, argmax.Select(i => labels.Labels[i]).ToArray()));
        }
        return new NerEvaluation(ConllScorer.Score(constrained), ConllScorer.Score(greedy), constrained);
    }

    public static NerEvaluation Evaluate(EntityTagger tagger, IReadOnlyList<TaggedSentence> sentences) => Evaluate([tagger], sentences);

    private static float[][] MeanEmissions(IReadOnlyList<EntityTagger> taggers, IReadOnlyList<IReadOnlyList<string>> words, IReadOnlyList<int> documents)
    {
        if (taggers.Any(t => t.UsesCrf != taggers[0].UsesCrf))
            throw new ArgumentException("An NER ensemble must be all CRF taggers or all softmax taggers.");
        int labels = taggers[0].Labels.Count;
        float[][]? sum = null;
        foreach (var tagger in taggers)
        {
            var emissions = tagger.Emissions(words, documents);
            for (int s = 0; s < emissions.Length; s++)
            {
                // Softmax taggers' scores are only defined up to a constant per token: average log-probabilities.
                if (!tagger.UsesCrf) Softmax.LogNormalizeRows(emissions[s], words[s].Count, labels);
                if (sum is null) continue;
                TensorPrimitives.Add(sum[s], emissions[s], sum[s]);
            }
            sum ??= emissions;
        }
        foreach (var row in sum!) TensorPrimitives.Multiply(row, 1f / taggers.Count, row);
        return sum;
    }
}

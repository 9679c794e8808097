using ServeNet.Training.Evaluation;

namespace ServeNet.Training.Tests.Evaluation;

/// <summary>
/// Expected outputs were produced by running the original conlleval script (version 2004-01-26)
/// on exactly these inputs ("word gold guess" per line, blank line between sentences).
/// </summary>
public class ConllScorerTests
{
    private static List<(IReadOnlyList<string>, IReadOnlyList<string>)> Parse(string text)
    {
        var sentences = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        foreach (var block in text.Replace("\r", "").Split("\n\n"))
        {
            var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToArray();
            if (lines.Length > 0) sentences.Add((lines.Select(l => l[1]).ToArray(), lines.Select(l => l[2]).ToArray()));
        }
        return sentences;
    }

    private const string NewsCase = """
        EU B-ORG B-ORG
        rejects O O
        German B-MISC B-MISC
        call O O
        to O O
        boycott O O
        British B-MISC B-LOC
        lamb O O
        . O O

        Peter B-PER B-PER
        Blackburn I-PER O

        BRUSSELS B-LOC B-LOC
        1996-08-22 O O

        The O O
        European B-ORG B-ORG
        Commission I-ORG I-ORG
        said O O
        on O O
        Thursday O B-MISC
        """;

    [Fact]
    public void Score_NewsSentences_EqualsConlleval()
    {
        var score = ConllScorer.Score(Parse(NewsCase));
        Assert.Equal("""
            processed 19 tokens with 6 phrases; found: 7 phrases; correct: 4.
            accuracy:  84.21%; precision:  57.14%; recall:  66.67%; FB1:  61.54
                          LOC: precision:  50.00%; recall: 100.00%; FB1:  66.67  2
                         MISC: precision:  50.00%; recall:  50.00%; FB1:  50.00  2
                          ORG: precision: 100.00%; recall: 100.00%; FB1: 100.00  2
                          PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  1

            """, score.ToConllevalText());
    }

    // Invalid guesses (I- after O, type switches inside an entity), IOB1-style gold, a sentence
    // boundary between an entity and an I- tag of the same type.
    private const string EdgeCase = """
        a B-PER O
        b I-PER I-PER
        c O I-PER
        d B-LOC B-LOC
        e B-LOC I-LOC
        f I-LOC I-LOC

        g I-ORG I-ORG
        h B-ORG B-PER
        i I-ORG I-ORG
        j O B-MISC
        k B-MISC I-MISC
        l I-MISC I-ORG

        m O O
        n B-PER B-PER
        """;

    [Fact]
    public void Score_InvalidAndIob1Sequences_EqualsConlleval()
    {
        var score = ConllScorer.Score(Parse(EdgeCase));
        Assert.Equal("""
            processed 14 tokens with 7 phrases; found: 8 phrases; correct: 2.
            accuracy:  50.00%; precision:  25.00%; recall:  28.57%; FB1:  26.67
                          LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1
                         MISC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1
                          ORG: precision:  33.33%; recall:  50.00%; FB1:  40.00  3
                          PER: precision:  33.33%; recall:  50.00%; FB1:  40.00  3

            """, score.ToConllevalText());
        Assert.Equal(2, score.CorrectEntities);
        Assert.Equal(0.2667, Math.Round(score.F1, 4));
    }

    [Fact]
    public void Score_PerfectGuesses_GiveF1OfOne()
    {
        var tags = new[] { "B-PER", "I-PER", "O", "B-LOC" };
        var score = ConllScorer.Score([(tags, tags)]);
        Assert.Equal(1.0, score.F1);
        Assert.Equal(1.0, score.Accuracy);
    }

    [Fact]
    public void Score_MismatchedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => ConllScorer.Score([(["O"], ["O", "O"])]));
    }
}

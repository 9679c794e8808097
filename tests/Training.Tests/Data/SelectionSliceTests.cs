using ServeNet.Core.Text;
using ServeNet.Training.Data;

namespace ServeNet.Training.Tests.Data;

public class SelectionSliceTests
{
    private static readonly WordTokenizer Tokenizer = new(TokenizerSettings.Sentiment);

    private static List<LabelledSentence> Sentences(int n) =>
        Enumerable.Range(0, n).Select(i => new LabelledSentence(i % 2, $"sentence number {i} is here .")).ToList();

    [Fact]
    public void Split_SameSeed_SameSliceOfTheRightSize()
    {
        var sentences = Sentences(200);
        var (train, slice) = SelectionSlice.Split(sentences, 0.1, 7, Tokenizer);
        var (_, again) = SelectionSlice.Split(sentences, 0.1, 7, Tokenizer);
        var (_, other) = SelectionSlice.Split(sentences, 0.1, 8, Tokenizer);
        Assert.Equal(20, slice.Count);
        Assert.Equal(180, train.Count);
        Assert.Equal(slice, again);
        Assert.NotEqual(slice, other);
        Assert.Empty(train.Intersect(slice));
    }

    [Fact]
    public void Split_DuplicatesAndEscapedForms_LandOnTheSameSide()
    {
        var sentences = Sentences(50);
        sentences.Add(new LabelledSentence(1, "the writer\\/director -lrb- again -rrb- ."));
        sentences.Add(new LabelledSentence(1, "the writer/director (again)."));
        for (ulong seed = 0; seed < 20; seed++)
        {
            var (train, _) = SelectionSlice.Split(sentences, 0.3, seed, Tokenizer);
            Assert.Equal(train.Contains(sentences[^1]), train.Contains(sentences[^2]));
        }
    }

    [Fact]
    public void DropLeakingPhrases_RemovesEveryPhraseInsideAHeldOutSentence()
    {
        LabelledSentence[] heldOut = [new(0, "the film is n't good -lrb- at all -rrb- .")];
        LabelledSentence[] phrases =
        [
            new(1, "good"), new(0, "is n't good"), new(0, "( at all )"), new(0, "the film is n't good ( at all ) ."), // inside: dropped
            new(1, "a good film"), new(1, "film is good"), new(0, "dull"), // not contiguous inside: kept
        ];
        var kept = SelectionSlice.DropLeakingPhrases(phrases, heldOut, Tokenizer);
        Assert.Equal(["a good film", "film is good", "dull"], kept.Select(p => p.Text));
    }

    [Fact]
    public void SstPhrases_AddTo_SkipsPhrasesThatAreTrainingSentences()
    {
        LabelledSentence[] sentences = [new(1, "a -lrb- very -rrb- good film .")];
        LabelledSentence[] phrases = [new(1, "a ( very ) good film ."), new(1, "good film"), new(1, "good film")];
        var combined = SstPhrases.AddTo(sentences, phrases, Tokenizer);
        Assert.Equal(["a -lrb- very -rrb- good film .", "good film"], combined.Select(c => c.Text));
    }
}

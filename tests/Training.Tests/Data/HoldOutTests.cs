using ServeNet.Training.Data;

namespace ServeNet.Training.Tests.Data;

public class HoldOutTests
{
    // 40 sentences in 10 documents of 4.
    private static readonly (int Sentence, int Document)[] Corpus = Enumerable.Range(0, 40).Select(i => (i, i / 4)).ToArray();

    [Fact]
    public void Split_KeepsEveryGroupOnOneSideAndHoldsOutTheFraction()
    {
        var (train, heldOut) = HoldOut.Split(Corpus, x => x.Document, 0.2, seed: 1);
        Assert.Equal(8, heldOut.Count); // 2 of 10 documents
        Assert.Empty(train.Select(x => x.Document).Intersect(heldOut.Select(x => x.Document)));
        Assert.Equal(Corpus.Order(), train.Concat(heldOut).Order());
        Assert.Equal(train.OrderBy(x => x.Sentence), train); // corpus order kept on both sides
    }

    [Fact]
    public void Split_SameSeed_SameSliceAndAnotherSeed_AnotherSlice()
    {
        var first = HoldOut.Split(Corpus, x => x.Document, 0.3, seed: 7).HeldOut;
        Assert.Equal(first, HoldOut.Split(Corpus, x => x.Document, 0.3, seed: 7).HeldOut);
        Assert.NotEqual(first, HoldOut.Split(Corpus, x => x.Document, 0.3, seed: 8).HeldOut);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Split_FractionOutsideZeroToOne_Throws(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldOut.Split(Corpus, x => x.Document, fraction, seed: 1));
}

using ServeNet.Core.Tensors;
using ServeNet.Core.Text;

namespace ServeNet.Core.Tests.Text;

public sealed class VocabularyTests
{
    // Random lowercase words of 1–12 letters, some sharing prefixes, plus non-ASCII ones: enough that slots collide.
    private static string[] RandomWords(int count)
    {
        var random = new SeededRandom(7);
        var words = new HashSet<string>(StringComparer.Ordinal) { "café", "naïve", "日本", "n't", "-lrb-", "a" };
        while (words.Count < count)
        {
            int length = 1 + random.NextInt(12);
            words.Add(string.Create(length, random, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = (char)('a' + r.NextInt(26)); }));
        }
        return words.ToArray();
    }

    [Fact]
    public void IdOf_EveryWord_FindsItsPlaceInTheList_BySpanAndByString()
    {
        var words = RandomWords(20_000);
        var vocabulary = new Vocabulary(words);
        Assert.Equal(words.Length + 2, vocabulary.Count);
        for (int i = 0; i < words.Length; i++)
        {
            Assert.Equal(i + 2, vocabulary.IdOf(words[i]));
            // A span inside a longer buffer, as the tokenizer hands it over.
            var buffer = ("<" + words[i] + ">").AsSpan(1, words[i].Length);
            Assert.Equal(i + 2, vocabulary.IdOf(buffer));
            Assert.True(vocabulary.TryGetId(buffer, out int id));
            Assert.Equal(i + 2, id);
        }
        Assert.Equal(Vocabulary.PaddingId, vocabulary.IdOf(Vocabulary.Padding));
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf(Vocabulary.Unknown));
    }

    [Fact]
    public void StartedLookups_FindTheSameIdsAsOneByOne_ForListedUnlistedAndEmptyWords()
    {
        var words = RandomWords(20_000);
        var vocabulary = new Vocabulary(words);
        // Listed words, unlisted ones (a listed word's prefix or extension, another script), the empty form and the reserved tokens.
        var forms = words.Take(500).Concat(["", "zzzzzzzzzzzzzzzz", "cafés", "日", Vocabulary.Padding, Vocabulary.Unknown])
            .Concat(words.Skip(500).Take(200).Select(w => w + "x")).ToArray();
        var hashes = new uint[forms.Length];
        vocabulary.StartLookups(new StringForms(forms), hashes);
        for (int i = 0; i < forms.Length; i++) Assert.Equal(vocabulary.IdOf(forms[i]), vocabulary.IdOf(forms[i], hashes[i]));
        Assert.Contains(forms, f => vocabulary.IdOf(f) == Vocabulary.UnknownId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("caf")]        // a prefix of a word
    [InlineData("cafés")]      // a word and more
    [InlineData("Café")]       // case matters
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void IdOf_AWordNotListed_IsTheUnknownWord(string word)
    {
        var vocabulary = new Vocabulary(RandomWords(5_000));
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf(word));
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf(word.AsSpan()));
        Assert.False(vocabulary.Contains(word));
        Assert.False(vocabulary.TryGetId(word.AsSpan(), out int id));
        Assert.Equal(0, id);
    }

    [Fact]
    public void Constructor_DropsDuplicates_KeepingTheFirstPlace()
    {
        var vocabulary = new Vocabulary(["good", "bad", "good", "<unk>", "film"]);
        Assert.Equal(["<pad>", "<unk>", "good", "bad", "film"], vocabulary.Words);
        Assert.Equal(4, vocabulary.IdOf("film"));
    }

    [Fact]
    public void FromStored_RebuildsTheSameIds()
    {
        var original = new Vocabulary(RandomWords(1_000));
        var stored = Vocabulary.FromStored(original.Words);
        Assert.All(original.Words, word => Assert.Equal(original.IdOf(word), stored.IdOf(word)));
    }
}

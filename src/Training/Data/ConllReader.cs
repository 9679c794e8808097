using ServeNet.Core.Ner;

namespace ServeNet.Training.Data;

/// <summary>
/// Reads CoNLL-2003 files ("word POS chunk NER" per line, blank line between sentences,
/// "-DOCSTART-" lines between documents) and converts the IOB1 tags to BIO (IOB2): an "I-X" that
/// does not continue an entity of type X becomes "B-X".
/// </summary>
public static class ConllReader
{
    public static List<TaggedSentence> Read(string path, BioLabels labels)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file not found (CoNLL-2003 lives in ../shared/data/conll2003/).");
        var sentences = new List<TaggedSentence>();
        var words = new List<string>();
        var tags = new List<string>();
        long lineNumber = 0;
        int document = 0;

        void EndSentence()
        {
            if (words.Count == 0) return;
            sentences.Add(new TaggedSentence(words.ToArray(), ToBio(tags), document));
            words.Clear();
            tags.Clear();
        }

        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                EndSentence();
                continue;
            }
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] == "-DOCSTART-")
            {
                EndSentence();
                if (sentences.Count > 0) document++;
                continue;
            }
            if (fields.Length < 2)
                throw new DataFormatException(path, lineNumber, $"expected 'word POS chunk NER' columns, found {fields.Length} field(s): \"{line}\".");
            string tag = fields[^1];
            if (tag != BioLabels.Outside && !labels.Index.ContainsKey("I-" + BioLabels.TypeOf(tag)))
                throw new DataFormatException(path, lineNumber, $"unknown NER tag \"{tag}\"; expected O, I-X or B-X with X in {string.Join(", ", labels.Types)}.");
            if (!(tag == BioLabels.Outside || BioLabels.IsBegin(tag) || BioLabels.IsInside(tag)))
                throw new DataFormatException(path, lineNumber, $"NER tag \"{tag}\" is neither O nor B-/I-.");
            words.Add(fields[0]);
            tags.Add(tag);
        }
        EndSentence();
        if (sentences.Count == 0) throw new DataFormatException(path, 0, "no sentences found.");
        return sentences;
    }

    /// <summary>IOB1 → BIO: I-X begins an entity unless the previous tag is B-X or I-X.</summary>
    public static string[] ToBio(IReadOnlyList<string> iob1)
    {
        var bio = new string[iob1.Count];
        for (int i = 0; i < iob1.Count; i++)
        {
            string tag = iob1[i];
            if (BioLabels.IsInside(tag))
            {
                string? type = BioLabels.TypeOf(tag);
                bool continues = i > 0 && iob1[i - 1] != BioLabels.Outside && BioLabels.TypeOf(iob1[i - 1]) == type;
                bio[i] = continues ? tag : "B-" + type;
            }
            else bio[i] = tag;
        }
        return bio;
    }
}

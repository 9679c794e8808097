namespace ServeNet.Training.Data;

/// <summary>
/// Reads the SST files of ../shared/data/sst: one example per line, "label&lt;TAB&gt;sentence", label 0
/// (negative) or 1 (positive), sentence already PTB-tokenized.
/// </summary>
public static class SstReader
{
    public static IReadOnlyList<string> Labels { get; } = ["negative", "positive"];

    public static List<LabelledSentence> Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file not found (the SST corpus lives in ../shared/data/sst/).");
        var examples = new List<LabelledSentence>();
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            int tab = line.IndexOf('\t');
            if (tab < 0)
                throw new DataFormatException(path, lineNumber, $"expected 'label<TAB>sentence', found no TAB in \"{Preview(line)}\".");
            var label = line.AsSpan(0, tab);
            if (label is not ("0" or "1"))
                throw new DataFormatException(path, lineNumber, $"expected label 0 or 1, found \"{Preview(label.ToString())}\".");
            string text = line[(tab + 1)..];
            if (string.IsNullOrWhiteSpace(text)) throw new DataFormatException(path, lineNumber, "the sentence is empty.");
            examples.Add(new LabelledSentence(label[0] - '0', text));
        }
        if (examples.Count == 0) throw new DataFormatException(path, 0, "no examples found.");
        return examples;
    }

    private static string Preview(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

using System.CommandLine;
using ServeNet.Training.Data;
using ServeNet.Training.Evaluation;

namespace ServeNet.Training.Commands.ScoreConll;

/// <summary>
/// "score-conll": scores a predictions file in conlleval's input format ("… gold guess" per line,
/// blank lines between sentences) and prints conlleval's report. A drop-in for the perl script.
/// </summary>
internal static class ScoreConllCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "Predictions: space-separated fields ending in the gold and the guessed tag" };
        var command = new Command("score-conll", "Score BIO predictions exactly like the CoNLL conlleval script") { file };
        command.SetAction(result =>
        {
            Console.Write(ConllScorer.Score(Read(result.GetValue(file)!)).ToConllevalText());
            return 0;
        });
        return command;
    }

    public static List<(IReadOnlyList<string>, IReadOnlyList<string>)> Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file not found.");
        var sentences = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        var gold = new List<string>();
        var guessed = new List<string>();
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0] == "-X-")
            {
                if (gold.Count > 0) sentences.Add((gold.ToArray(), guessed.ToArray()));
                gold.Clear();
                guessed.Clear();
                continue;
            }
            if (fields.Length < 3) throw new DataFormatException(path, lineNumber, $"expected at least 3 fields (… gold guess), found {fields.Length}.");
            gold.Add(fields[^2]);
            guessed.Add(fields[^1]);
        }
        if (gold.Count > 0) sentences.Add((gold.ToArray(), guessed.ToArray()));
        return sentences;
    }
}

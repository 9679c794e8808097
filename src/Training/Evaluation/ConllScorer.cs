namespace ServeNet.Training.Evaluation;

/// <summary>
/// Entity-level scoring equal to the CoNLL shared task's conlleval script (Tjong Kim Sang, version
/// 2004-01-26): a chunk starts and ends where conlleval's startOfChunk/endOfChunk say, an entity is
/// correct only when gold and guess start together, end together and agree on the type, and
/// sentence boundaries close every open chunk. Token accuracy compares full tags ("B-X" ≠ "I-X").
/// </summary>
public static class ConllScorer
{
    public static ConllScore Score(IEnumerable<(IReadOnlyList<string> Gold, IReadOnlyList<string> Guessed)> sentences)
    {
        var score = new ConllScore();
        var state = new State();
        foreach (var (gold, guessed) in sentences)
        {
            if (gold.Count != guessed.Count) throw new ArgumentException($"A sentence has {gold.Count} gold tags but {guessed.Count} guesses.");
            for (int i = 0; i < gold.Count; i++) state.Step(score, Split(gold[i]), Split(guessed[i]), boundary: false);
            state.Step(score, ("O", ""), ("O", ""), boundary: true);
        }
        if (state.InCorrect) Count(score, state.LastCorrect.Type);
        return score;
    }

    private sealed class State
    {
        public bool InCorrect;
        public (string Tag, string Type) LastCorrect = ("O", ""), LastGuessed = ("O", "");

        public void Step(ConllScore score, (string Tag, string Type) correct, (string Tag, string Type) guessed, bool boundary)
        {
            if (InCorrect)
            {
                bool correctEnds = EndOfChunk(LastCorrect, correct), guessedEnds = EndOfChunk(LastGuessed, guessed);
                if (correctEnds && guessedEnds && LastGuessed.Type == LastCorrect.Type)
                {
                    InCorrect = false;
                    Count(score, LastCorrect.Type);
                }
                else if (correctEnds != guessedEnds || guessed.Type != correct.Type)
                {
                    InCorrect = false;
                }
            }
            bool correctStarts = StartOfChunk(LastCorrect, correct), guessedStarts = StartOfChunk(LastGuessed, guessed);
            if (correctStarts && guessedStarts && guessed.Type == correct.Type) InCorrect = true;
            if (correctStarts)
            {
                score.GoldEntities++;
                Bump(score, correct.Type, gold: 1);
            }
            if (guessedStarts)
            {
                score.GuessedEntities++;
                Bump(score, guessed.Type, guessed: 1);
            }
            if (!boundary)
            {
                if (correct == guessed) score.CorrectTags++;
                score.Tokens++;
            }
            LastCorrect = correct;
            LastGuessed = guessed;
        }
    }

    private static void Count(ConllScore score, string type)
    {
        score.CorrectEntities++;
        Bump(score, type, correct: 1);
    }

    private static void Bump(ConllScore score, string type, int gold = 0, int guessed = 0, int correct = 0)
    {
        var (g, s, c) = score.ByType.GetValueOrDefault(type);
        score.ByType[type] = (g + gold, s + guessed, c + correct);
    }

    // "B-PER" → ("B", "PER"); "O" → ("O", ""). Like conlleval, only the first hyphen splits.
    private static (string Tag, string Type) Split(string label)
    {
        int hyphen = label.IndexOf('-');
        return hyphen < 0 ? (label, "") : (label[..hyphen], label[(hyphen + 1)..]);
    }

    private static bool EndOfChunk((string Tag, string Type) previous, (string Tag, string Type) current)
    {
        var (p, t) = (previous.Tag, current.Tag);
        if ((p, t) is ("B", "B") or ("B", "O") or ("I", "B") or ("I", "O") or ("E", "E") or ("E", "I") or ("E", "O")) return true;
        if (p != "O" && p != "." && previous.Type != current.Type) return true;
        return p is "]" or "[";
    }

    private static bool StartOfChunk((string Tag, string Type) previous, (string Tag, string Type) current)
    {
        var (p, t) = (previous.Tag, current.Tag);
        if ((p, t) is ("B", "B") or ("I", "B") or ("O", "B") or ("O", "I") or ("E", "E") or ("E", "I") or ("O", "E")) return true;
        if (t != "O" && t != "." && previous.Type != current.Type) return true;
        return t is "[" or "]";
    }
}

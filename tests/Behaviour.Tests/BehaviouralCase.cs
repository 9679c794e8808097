namespace ServeNet.Behaviour.Tests;

/// <summary>The three CheckList test types (Ribeiro et al. 2020).</summary>
public enum TestType
{
    /// <summary>Minimum functionality: the text gets the expected label.</summary>
    MFT,
    /// <summary>Invariance: a perturbation that should not matter leaves the label unchanged.</summary>
    INV,
    /// <summary>Direction: a perturbation moves P(positive) the expected way (or leaves it).</summary>
    DIR,
}

/// <summary>One line of sentiment-cases.tsv.</summary>
/// <param name="Expectation">MFT: "positive" / "negative"; INV: "same"; DIR: "more-positive" / "more-negative".</param>
/// <param name="Perturbed">The second text (INV, DIR), null for MFT.</param>
public sealed record BehaviouralCase(string Capability, TestType Type, string Expectation, string Text, string? Perturbed, int Line)
{
    /// <summary>Reads the cases file: comments (#) and blank lines skipped; every malformed line named with its number.</summary>
    public static List<BehaviouralCase> Read(string path)
    {
        var cases = new List<BehaviouralCase>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            if (f.Length is < 4 or > 5 || !Enum.TryParse<TestType>(f[1], out var type))
                throw new FormatException($"{path}:{number}: expected 'capability<TAB>MFT|INV|DIR<TAB>expectation<TAB>text[<TAB>text]', found \"{line}\".");
            bool valid = type switch
            {
                TestType.MFT => f.Length == 4 && f[2] is "positive" or "negative",
                TestType.INV => f.Length == 5 && f[2] == "same",
                TestType.DIR => f.Length == 5 && f[2] is "more-positive" or "more-negative",
                _ => false,
            };
            if (!valid) throw new FormatException($"{path}:{number}: a {type} case cannot expect \"{f[2]}\" with {f.Length - 3} text(s).");
            cases.Add(new BehaviouralCase(f[0], type, f[2], f[3], f.Length == 5 ? f[4] : null, number));
        }
        return cases;
    }
}

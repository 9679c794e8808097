using System.Globalization;
using System.Text;

namespace ServeNet.Behaviour.Tests;

/// <summary>The outcome of one case: whether it passed, and P(positive) of its text(s).</summary>
public sealed record CaseResult(BehaviouralCase Case, bool Passed, float Positive, float? PerturbedPositive);

/// <summary>
/// Runs behavioural cases against any model given as a function from texts to P(positive), and
/// reports the pass rate per capability with the failing cases.
/// </summary>
public static class BehaviouralSuite
{
    /// <summary>How far P(positive) may move the wrong way before a DIR case fails.</summary>
    public const float DirTolerance = 0.1f;

    public static List<CaseResult> Run(IReadOnlyList<BehaviouralCase> cases, Func<IReadOnlyList<string>, float[]> positiveProbability)
    {
        var texts = cases.SelectMany(c => c.Perturbed is null ? [c.Text] : new[] { c.Text, c.Perturbed }).Distinct().ToArray();
        var p = texts.Zip(positiveProbability(texts)).ToDictionary(x => x.First, x => x.Second);
        return cases.Select(c =>
        {
            float first = p[c.Text];
            float? second = c.Perturbed is null ? null : p[c.Perturbed];
            bool passed = c.Type switch
            {
                TestType.MFT => (first >= 0.5f) == (c.Expectation == "positive"),
                TestType.INV => (first >= 0.5f) == (second >= 0.5f),
                // A DIR case fails only when P(positive) moves the wrong way by more than CheckList's
                // tolerance for monotonic expectations (0.1 in its sentiment tutorial).
                TestType.DIR => c.Expectation == "more-positive" ? second >= first - DirTolerance : second <= first + DirTolerance,
                _ => false,
            };
            return new CaseResult(c, passed, first, second);
        }).ToList();
    }

    public static double PassRate(IEnumerable<CaseResult> results)
    {
        var list = results.ToList();
        return list.Count == 0 ? 1 : list.Count(r => r.Passed) / (double)list.Count;
    }

    /// <summary>A Markdown table of pass rates per capability (and test type), then every failing case.</summary>
    public static string Markdown(IReadOnlyList<CaseResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| capability | cases | passed | pass rate |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Case.Capability))
        {
            var types = string.Join("+", group.Select(r => r.Case.Type).Distinct());
            text.AppendLine(Invariant($"| {group.Key} ({types}) | {group.Count()} | {group.Count(r => r.Passed)} | {PassRate(group) * 100:F1}% |"));
        }
        text.AppendLine(Invariant($"| **overall** | {results.Count} | {results.Count(r => r.Passed)} | **{PassRate(results) * 100:F1}%** |"));
        var failures = results.Where(r => !r.Passed).ToList();
        if (failures.Count == 0) return text.ToString();
        text.AppendLine();
        text.AppendLine("Failing cases (P = probability of positive):");
        text.AppendLine();
        foreach (var f in failures)
        {
            string detail = f.Case.Perturbed is null
                ? Invariant($"\"{f.Case.Text}\" expected {f.Case.Expectation}, P = {f.Positive:F2}")
                : Invariant($"\"{f.Case.Text}\" (P = {f.Positive:F2}) → \"{f.Case.Perturbed}\" (P = {f.PerturbedPositive:F2}), expected {f.Case.Expectation}");
            text.AppendLine($"- {f.Case.Capability} {f.Case.Type}: {detail}");
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

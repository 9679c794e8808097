using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

// Paired A/B in one process: the probes assembly built against two Core builds (A, the baseline, and B) is loaded into
// two load contexts, and their rounds alternate (A B, B A, ...). On a shared machine whose speed drifts from minute to
// minute, two separate runs differ by more than most changes; rounds taken side by side drift together, so the ratio
// of each pair holds. Usage, from the repository root: servenet-paired PROBES_A.dll PROBES_B.dll ROUNDS PROBE-SET
if (args.Length < 4 || !int.TryParse(args[2], out int rounds) || rounds < 1)
{
    Console.Error.WriteLine("usage: servenet-paired PROBES_A.dll PROBES_B.dll ROUNDS {gemm|dan|ner}   (from the repository root)");
    return 2;
}
var sides = new[] { args[0], args[1] }.Select(path => ProbeContext.LoadRound(Path.GetFullPath(path), args.Skip(3).ToArray())).ToArray();
var samples = new Dictionary<string, List<double>[]>();
for (int round = 0; round < rounds; round++)
{
    foreach (int side in round % 2 == 0 ? new[] { 0, 1 } : [1, 0])
        foreach (var (name, value) in sides[side]())
        {
            if (!samples.TryGetValue(name, out var lists)) samples[name] = lists = [[], []];
            lists[side].Add(value);
        }
}
foreach (var (name, lists) in samples)
{
    var ratios = lists[0].Zip(lists[1], (a, b) => b / a).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: A {Median(lists[0]):F3}  B {Median(lists[1]):F3}  B/A {Median(ratios):F3} (median of {ratios.Count} paired rounds; {ratios.Min():F3}–{ratios.Max():F3})"));
}
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>A load context per side, resolving the probes' own dependencies (its Core build) from its folder.</summary>
internal sealed class ProbeContext(string path) : AssemblyLoadContext(Path.GetFileName(Path.GetDirectoryName(path)))
{
    private readonly AssemblyDependencyResolver _resolver = new(path);

    /// <summary>Loads the probes, runs their set-up and returns their round: (figure, value) pairs, higher or lower as the name says.</summary>
    public static Func<(string Name, double Value)[]> LoadRound(string path, string[] arguments)
    {
        var probes = new ProbeContext(path).LoadFromAssemblyPath(path).GetType("ServeNet.Bench.Paired.Probes.Probes")
            ?? throw new InvalidOperationException($"{path} has no ServeNet.Bench.Paired.Probes.Probes class.");
        probes.GetMethod("Setup")!.Invoke(null, [arguments]);
        return probes.GetMethod("Round")!.CreateDelegate<Func<(string, double)[]>>();
    }

    protected override Assembly? Load(AssemblyName name) =>
        _resolver.ResolveAssemblyToPath(name) is { } file ? LoadFromAssemblyPath(file) : null;
}

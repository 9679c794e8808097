namespace ServeNet.Bench.Paired.Probes;

/// <summary>The entry points the paired host calls by name: one set-up, then one round per call.</summary>
public static class Probes
{
    private static Func<(string Name, double Value)[]> s_round = () => [];

    /// <param name="arguments">The probe set: <c>gemm</c>, <c>dan</c> or <c>ner</c> (models and data as <see cref="BenchData"/> finds
    /// them from the working directory, the repository root).</param>
    public static void Setup(string[] arguments)
    {
        s_round = arguments[0] switch
        {
            "gemm" => GemmProbes.Create(),
            "dan" => DanProbes.Create(),
            "ner" => NerProbes.Create(),
            _ => throw new ArgumentException($"Unknown probe set '{arguments[0]}': gemm, dan or ner."),
        };
        s_round(); // warm-up: tier-1 code and caches before the first measured round
    }

    public static (string Name, double Value)[] Round() => s_round();

    /// <summary>The sentences of a corpus, refusing <see cref="BenchData"/>'s few built-in ones: a probe measures the real data or nothing.</summary>
    internal static string[] RealSentences((string Source, string[] Sentences) data, string corpus) =>
        File.Exists(data.Source) ? data.Sentences
            : throw new FileNotFoundException($"The probes need {corpus} under {Path.GetFullPath(BenchData.DataDirectory)} (../shared/data beside the repository, or SERVENET_DATA).");
}

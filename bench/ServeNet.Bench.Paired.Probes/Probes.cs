namespace ServeNet.Bench.Paired.Probes;

/// <summary>The entry points the paired host calls by name: one set-up, then one round per call.</summary>
public static class Probes
{
    private static Func<(string Name, double Value)[]> s_round = () => [];

    /// <param name="arguments">The probe set (<c>gemm</c>, <c>dan</c> or <c>ner</c>), then the repository root for the models and data.</param>
    public static void Setup(string[] arguments)
    {
        string root = arguments.Length > 1 ? arguments[1] : ".";
        s_round = arguments[0] switch
        {
            "gemm" => GemmProbes.Create(),
            "dan" => DanProbes.Create(root),
            "ner" => NerProbes.Create(root),
            _ => throw new ArgumentException($"Unknown probe set '{arguments[0]}': gemm, dan or ner."),
        };
        s_round(); // warm-up: tier-1 code and caches before the first measured round
    }

    public static (string Name, double Value)[] Round() => s_round();
}

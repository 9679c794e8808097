using System.Runtime.Intrinsics;
using ServeNet.Core.Kernels;

namespace ServeNet.Core.Tests.Kernels;

public class HalfRowsTests
{
    private delegate void AddPath(Span<float> row, ReadOnlySpan<Half> source);

    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string> { "scalar" };
        if (Vector256.IsHardwareAccelerated) data.Add("256");
        if (Vector512.IsHardwareAccelerated) data.Add("512");
        return data;
    }

    private static AddPath Path(string name) => name switch
    {
        "512" => HalfRows.Add512,
        "256" => HalfRows.Add256,
        _ => (row, source) => HalfRows.AddScalar(row, source, 0),
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Add_EveryFiniteHalf_AddsExactlyItsFloatValue(string name)
    {
        // All 63,488 finite bit patterns (normal, subnormal, ±0), each added to a row that starts at 0.25.
        var halves = Enumerable.Range(0, 65536).Select(b => BitConverter.UInt16BitsToHalf((ushort)b)).Where(Half.IsFinite).ToArray();
        var row = Enumerable.Repeat(0.25f, halves.Length).ToArray();
        Path(name)(row, halves);
        for (int i = 0; i < halves.Length; i++) Assert.Equal(0.25f + (float)halves[i], row[i]);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Add_EveryLengthFrom1To67_LeavesNothingBeyondTheRow(string name)
    {
        var random = new Random(3);
        for (int n = 1; n <= 67; n++)
        {
            var source = Enumerable.Range(0, n).Select(_ => (Half)(random.NextSingle() * 8 - 4)).ToArray();
            var buffer = Enumerable.Repeat(1f, n + 5).ToArray();
            Path(name)(buffer.AsSpan(0, n), source);
            for (int i = 0; i < n; i++) Assert.Equal(1f + (float)source[i], buffer[i]);
            Assert.All(buffer[n..], v => Assert.Equal(1f, v)); // the values after the row are untouched
        }
    }

    [Fact]
    public void ToHalf_ValueBeyondTheHalfRange_IsRefusedNamingItsIndex()
    {
        var halves = new Half[2];
        HalfRows.ToHalf([1.5f, -65504f], halves);
        Assert.Equal([(Half)1.5f, (Half)(-65504f)], halves);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => HalfRows.ToHalf([0f, 1e6f], new Half[2]));
        Assert.Contains("Value 1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => HalfRows.ToHalf([float.NaN], new Half[1]));
        Assert.Throws<ArgumentException>(() => HalfRows.ToHalf([1f], new Half[2]));
    }

    [Fact]
    public void Add_SourceOfAnotherLength_IsRefused() =>
        Assert.Throws<ArgumentException>(() => HalfRows.Add(new float[4], new Half[3]));
}

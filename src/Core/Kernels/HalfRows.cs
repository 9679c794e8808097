using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Kernels;

/// <summary>
/// row += source for a source stored in IEEE half precision (the tagger's cached projections: half the
/// memory and half the bytes fetched per token). .NET 10 has no Half vectors, so the conversion is done on
/// the bits: a half sign-extended and shifted into a float's place (sign included) is the same number scaled by
/// 2^-112 (subnormal halves too), and one fused multiply-add by 2^112 adds it to the row: the product is exact,
/// so the sum is rounded once, as row + (float)half is. Four operations per 16 values where widening without
/// the sign, masking, shifting and putting the sign back took eight (paired: the tagger's scores at batch 1 in 0.90× the time).
/// Exact for every finite half, as the scalar (float)Half is. Infinities and NaN are never stored
/// (<see cref="ToHalf"/> refuses them).
/// </summary>
internal static unsafe class HalfRows
{
    /// <summary>row[i] += (float)source[i].</summary>
    public static void Add(Span<float> row, ReadOnlySpan<Half> source)
    {
        if (source.Length != row.Length) throw new ArgumentException($"The source has {source.Length} values, the row {row.Length}.", nameof(source));
        if (Vector512.IsHardwareAccelerated) Add512(row, source);
        else if (Avx2.IsSupported && Fma.IsSupported) Add256(row, source); // (every AVX2 CPU we know has FMA)
        else AddScalar(row, source, 0);
    }

    /// <summary>Converts values to half precision; throws if one is not finite or beyond the half range (±65504).</summary>
    public static void ToHalf(ReadOnlySpan<float> values, Span<Half> destination)
    {
        if (destination.Length != values.Length) throw new ArgumentException($"{values.Length} values for {destination.Length} halves.", nameof(destination));
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = (Half)values[i];
            if (!Half.IsFinite(destination[i]))
                throw new ArgumentOutOfRangeException(nameof(values), values[i], $"Value {i} has no finite half-precision form.");
        }
    }

    private static readonly float ExponentScale = BitConverter.UInt32BitsToSingle((127 + 112) << 23); // 2^112: the exponent biases differ by 127 − 15

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add512(Span<float> row, ReadOnlySpan<Half> source)
    {
        ref float r = ref MemoryMarshal.GetReference(row);
        ref short s = ref Unsafe.As<Half, short>(ref MemoryMarshal.GetReference(source));
        var scale = Vector512.Create(ExponentScale);
        int i = 0, n = row.Length;
        for (; i <= n - Vector512<short>.Count; i += Vector512<short>.Count)
        {
            var bits = Vector512.LoadUnsafe(ref s, (nuint)i);
            var lower = Vector512.FusedMultiplyAdd(Scaled(Vector512.WidenLower(bits)), scale, Vector512.LoadUnsafe(ref r, (nuint)i));
            var upper = Vector512.FusedMultiplyAdd(Scaled(Vector512.WidenUpper(bits)), scale, Vector512.LoadUnsafe(ref r, (nuint)(i + Vector512<float>.Count)));
            lower.StoreUnsafe(ref r, (nuint)i);
            upper.StoreUnsafe(ref r, (nuint)(i + Vector512<float>.Count));
        }
        Add256(row[i..], source[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add256(Span<float> row, ReadOnlySpan<Half> source)
    {
        ref float r = ref MemoryMarshal.GetReference(row);
        ref short s = ref Unsafe.As<Half, short>(ref MemoryMarshal.GetReference(source));
        var scale = Vector256.Create(ExponentScale);
        int i = 0, n = row.Length;
        // Eight halves sign-extended straight from memory (vpmovsxwd ymm, m128): no 256-bit load split in two. (Vector256
        // is accelerated only where AVX2 is, so this is the AVX2 step wherever it runs.)
        fixed (short* halves = &s)
            for (; i <= n - Vector256<short>.Count; i += Vector256<short>.Count)
            {
                var lower = Vector256.FusedMultiplyAdd(Scaled(Avx2.ConvertToVector256Int32(halves + i)), scale, Vector256.LoadUnsafe(ref r, (nuint)i));
                var upper = Vector256.FusedMultiplyAdd(Scaled(Avx2.ConvertToVector256Int32(halves + i + 8)), scale, Vector256.LoadUnsafe(ref r, (nuint)(i + Vector256<float>.Count)));
                lower.StoreUnsafe(ref r, (nuint)i);
                upper.StoreUnsafe(ref r, (nuint)(i + Vector256<float>.Count));
            }
        // A width of 300 leaves 12: 8 and 4 more in vectors, as a scalar Half conversion costs several ns each.
        if (i + 8 <= n)
        {
            var bits = Vector128.LoadUnsafe(ref s, (nuint)i);
            Vector128.FusedMultiplyAdd(Scaled(Vector128.WidenLower(bits)), Vector128.Create(ExponentScale), Vector128.LoadUnsafe(ref r, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
            Vector128.FusedMultiplyAdd(Scaled(Vector128.WidenUpper(bits)), Vector128.Create(ExponentScale), Vector128.LoadUnsafe(ref r, (nuint)(i + 4))).StoreUnsafe(ref r, (nuint)(i + 4));
            i += 8;
        }
        if (i + 4 <= n)
        {
            var bits = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref s, i)))).AsInt16();
            Vector128.FusedMultiplyAdd(Scaled(Vector128.WidenLower(bits)), Vector128.Create(ExponentScale), Vector128.LoadUnsafe(ref r, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
            i += 4;
        }
        AddScalar(row, source, i);
    }

    internal static void AddScalar(Span<float> row, ReadOnlySpan<Half> source, int from)
    {
        for (int i = from; i < row.Length; i++) row[i] += (float)source[i];
    }

    // A half sign-extended to 32 bits, shifted by 13: its exponent and mantissa land where a float's are (the exponent
    // field's top three bits cleared), the sign stays at bit 31 — the same number scaled by 2^-112.
    private const int ScaledMask = unchecked((int)0x8FFF_FFFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Scaled(Vector512<int> half) => ((half << 13) & Vector512.Create(ScaledMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Scaled(Vector256<int> half) => ((half << 13) & Vector256.Create(ScaledMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Scaled(Vector128<int> half) => ((half << 13) & Vector128.Create(ScaledMask)).AsSingle();
}

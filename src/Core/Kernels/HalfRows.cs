using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ServeNet.Core.Kernels;

/// <summary>
/// row += source for a source stored in IEEE half precision (the tagger's cached projections: half the
/// memory and half the bytes fetched per token). .NET 10 has no Half vectors, so the conversion is done on
/// the bits: a half's exponent and mantissa shifted into a float's place give the same number scaled by
/// 2^-112, which one exact multiply undoes (this covers subnormal halves too); then the sign is put back.
/// Exact for every finite half, as the scalar (float)Half is. Infinities and NaN are never stored
/// (<see cref="ToHalf"/> refuses them).
/// </summary>
internal static class HalfRows
{
    /// <summary>row[i] += (float)source[i].</summary>
    public static void Add(Span<float> row, ReadOnlySpan<Half> source)
    {
        if (source.Length != row.Length) throw new ArgumentException($"The source has {source.Length} values, the row {row.Length}.", nameof(source));
        if (Vector512.IsHardwareAccelerated) Add512(row, source);
        else if (Vector256.IsHardwareAccelerated) Add256(row, source);
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

    private const uint MagnitudeBits = 0x7FFF, SignBit = 0x8000;
    private static readonly float ExponentScale = BitConverter.UInt32BitsToSingle((127 + 112) << 23); // 2^112: the exponent biases differ by 127 − 15

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add512(Span<float> row, ReadOnlySpan<Half> source)
    {
        ref float r = ref MemoryMarshal.GetReference(row);
        ref ushort s = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(source));
        int i = 0, n = row.Length;
        for (; i <= n - Vector512<ushort>.Count; i += Vector512<ushort>.Count)
        {
            var bits = Vector512.LoadUnsafe(ref s, (nuint)i);
            var lower = Vector512.LoadUnsafe(ref r, (nuint)i) + ToSingle(Vector512.WidenLower(bits));
            var upper = Vector512.LoadUnsafe(ref r, (nuint)(i + Vector512<float>.Count)) + ToSingle(Vector512.WidenUpper(bits));
            lower.StoreUnsafe(ref r, (nuint)i);
            upper.StoreUnsafe(ref r, (nuint)(i + Vector512<float>.Count));
        }
        Add256(row[i..], source[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add256(Span<float> row, ReadOnlySpan<Half> source)
    {
        ref float r = ref MemoryMarshal.GetReference(row);
        ref ushort s = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(source));
        int i = 0, n = row.Length;
        for (; i <= n - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
        {
            var bits = Vector256.LoadUnsafe(ref s, (nuint)i);
            var lower = Vector256.LoadUnsafe(ref r, (nuint)i) + ToSingle(Vector256.WidenLower(bits));
            var upper = Vector256.LoadUnsafe(ref r, (nuint)(i + Vector256<float>.Count)) + ToSingle(Vector256.WidenUpper(bits));
            lower.StoreUnsafe(ref r, (nuint)i);
            upper.StoreUnsafe(ref r, (nuint)(i + Vector256<float>.Count));
        }
        // A width of 300 leaves 12: 8 and 4 more in vectors, as a scalar Half conversion costs several ns each.
        if (i + 8 <= n)
        {
            var bits = Vector128.LoadUnsafe(ref s, (nuint)i);
            (Vector128.LoadUnsafe(ref r, (nuint)i) + ToSingle(Vector128.WidenLower(bits))).StoreUnsafe(ref r, (nuint)i);
            (Vector128.LoadUnsafe(ref r, (nuint)(i + 4)) + ToSingle(Vector128.WidenUpper(bits))).StoreUnsafe(ref r, (nuint)(i + 4));
            i += 8;
        }
        if (i + 4 <= n)
        {
            var bits = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref s, i)))).AsUInt16();
            (Vector128.LoadUnsafe(ref r, (nuint)i) + ToSingle(Vector128.WidenLower(bits))).StoreUnsafe(ref r, (nuint)i);
            i += 4;
        }
        AddScalar(row, source, i);
    }

    internal static void AddScalar(Span<float> row, ReadOnlySpan<Half> source, int from)
    {
        for (int i = from; i < row.Length; i++) row[i] += (float)source[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ToSingle(Vector512<uint> half)
    {
        var magnitude = ((half & Vector512.Create(MagnitudeBits)) << 13).AsSingle() * Vector512.Create(ExponentScale);
        return (magnitude.AsUInt32() | ((half & Vector512.Create(SignBit)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ToSingle(Vector128<uint> half)
    {
        var magnitude = ((half & Vector128.Create(MagnitudeBits)) << 13).AsSingle() * Vector128.Create(ExponentScale);
        return (magnitude.AsUInt32() | ((half & Vector128.Create(SignBit)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ToSingle(Vector256<uint> half)
    {
        var magnitude = ((half & Vector256.Create(MagnitudeBits)) << 13).AsSingle() * Vector256.Create(ExponentScale);
        return (magnitude.AsUInt32() | ((half & Vector256.Create(SignBit)) << 16)).AsSingle();
    }
}

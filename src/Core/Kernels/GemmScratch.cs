using System.Runtime.InteropServices;

namespace ServeNet.Core.Kernels;

/// <summary>
/// Per-thread packing buffers, 64-byte aligned, allocated once per thread and kernel shape so that
/// the product itself allocates nothing.
/// </summary>
internal sealed unsafe class GemmScratch
{
    public readonly float* PackedA, PackedB, Tile;
    public readonly int PackedALength, PackedBLength;

    public GemmScratch(int packedALength, int packedBLength, int tileLength)
    {
        PackedALength = packedALength;
        PackedBLength = packedBLength;
        PackedA = (float*)NativeMemory.AlignedAlloc((nuint)packedALength * sizeof(float), 64);
        PackedB = (float*)NativeMemory.AlignedAlloc((nuint)packedBLength * sizeof(float), 64);
        Tile = (float*)NativeMemory.AlignedAlloc((nuint)tileLength * sizeof(float), 64);
    }

    ~GemmScratch()
    {
        NativeMemory.AlignedFree(PackedA);
        NativeMemory.AlignedFree(PackedB);
        NativeMemory.AlignedFree(Tile);
    }
}

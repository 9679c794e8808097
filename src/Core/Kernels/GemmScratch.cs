using System.Runtime.InteropServices;

namespace ServeNet.Core.Kernels;

/// <summary>
/// Per-thread packing buffers, 64-byte aligned, allocated once per thread and kernel shape so that
/// the product itself allocates nothing.
/// </summary>
internal sealed unsafe class GemmScratch
{
    public readonly float* PackedA, PackedB, Tile;
    public readonly int PackedALength, PackedBLength, DepthLength;

    /// <summary>The depth indices of one block that A uses (<see cref="ZeroDepth"/>): room for KC.</summary>
    public readonly int* Depth;

    public GemmScratch(int packedALength, int packedBLength, int tileLength, int depthLength)
    {
        PackedALength = packedALength;
        PackedBLength = packedBLength;
        DepthLength = depthLength;
        PackedA = (float*)NativeMemory.AlignedAlloc((nuint)packedALength * sizeof(float), 64);
        PackedB = (float*)NativeMemory.AlignedAlloc((nuint)packedBLength * sizeof(float), 64);
        Tile = (float*)NativeMemory.AlignedAlloc((nuint)tileLength * sizeof(float), 64);
        Depth = (int*)NativeMemory.AlignedAlloc((nuint)depthLength * sizeof(int), 64);
    }

    ~GemmScratch()
    {
        NativeMemory.AlignedFree(PackedA);
        NativeMemory.AlignedFree(PackedB);
        NativeMemory.AlignedFree(Tile);
        NativeMemory.AlignedFree(Depth);
    }
}

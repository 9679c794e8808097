namespace ServeNet.Core.Checkpoints;

/// <summary>
/// The ServeNet checkpoint layout, version 1.0 (all integers little-endian):
/// <code>
/// header  (40 bytes)  magic "SNETCKPT" · u16 major · u16 minor · u32 flags (0)
///                     · u64 file length · u64 metadata length · u32 tensor count · u32 reserved
/// metadata            UTF-8 JSON: model kind and spec, labels, vocabulary, tokenizer, training run, metrics
/// tensor table        per tensor: u16 name length · name (UTF-8) · u8 dtype · u8 rank · u32 dims[rank]
///                     · u64 payload offset · u64 payload bytes
/// payloads            each starting on a 64-byte boundary (zero padding), float32 or float16
/// trailer (40 bytes)  SHA-256 of every byte before the trailer · "SNETEND!"
/// </code>
/// A reader refuses an unknown major version; minor versions only add optional metadata.
/// </summary>
public static class CheckpointFormat
{
    public static ReadOnlySpan<byte> Magic => "SNETCKPT"u8;
    public static ReadOnlySpan<byte> EndMagic => "SNETEND!"u8;
    public const ushort Major = 1;
    public const ushort Minor = 0;
    public const int HeaderBytes = 40;
    public const int TrailerBytes = 40;
    public const int Alignment = 64;
}

/// <summary>How a tensor's values are stored on disk; always float32 in memory.</summary>
public enum TensorStorage : byte
{
    Float32 = 1,
    /// <summary>IEEE half precision: half the bytes, ~3 significant digits; for embedding tables.</summary>
    Float16 = 2,
}

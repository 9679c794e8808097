using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ServeNet.Core.Text;

/// <summary>
/// Words → ids for a span, built once: open addressing over one array of slots, each holding a word's
/// hash, id and place in one pool of characters. A look-up reads one slot (usually) and the word's
/// characters — two memory reads — where a <c>Dictionary&lt;string, int&gt;</c> reads a bucket, an entry
/// and the key's string object: on a serving path whose network evicts the vocabulary between requests,
/// each of those reads is a cache miss.
/// </summary>
internal sealed unsafe class WordIndex
{
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Slot(uint Hash, int Id, int Start, int Length); // Id −1: empty

    private readonly Slot[] _slots;
    private readonly char[] _pool;
    private readonly int _mask;

    /// <param name="words">Distinct words; word i gets id i.</param>
    public WordIndex(IReadOnlyList<string> words)
    {
        int capacity = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)words.Count * 2)); // at most half full
        _slots = new Slot[capacity];
        _slots.AsSpan().Fill(new Slot(0, -1, 0, 0));
        _mask = capacity - 1;
        long characters = words.Sum(w => (long)w.Length);
        if (characters > Array.MaxLength) throw new ArgumentException($"{characters} characters of words do not fit one pool.", nameof(words));
        _pool = new char[characters];
        int at = 0;
        for (int id = 0; id < words.Count; id++)
        {
            var word = words[id];
            word.CopyTo(_pool.AsSpan(at));
            uint hash = Hash(word);
            int i = (int)(hash & (uint)_mask);
            while (_slots[i].Id >= 0)
            {
                if (_slots[i].Hash == hash && Chars(_slots[i]).SequenceEqual(word)) throw new ArgumentException($"'{word}' is listed twice.", nameof(words));
                i = (i + 1) & _mask;
            }
            _slots[i] = new Slot(hash, id, at, word.Length);
            at += word.Length;
        }
    }

    /// <summary>The id of <paramref name="word"/>, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IdOf(ReadOnlySpan<char> word) => IdOf(word, Hash(word));

    /// <summary>
    /// Starts the look-up of a word: returns its hash (for <see cref="IdOf(ReadOnlySpan{char}, uint)"/>) and asks for the
    /// slot its probe starts at. Started for all the words of a text before any is resolved, the slots' cache misses
    /// overlap instead of coming one after another.
    /// </summary>
    public uint Start(ReadOnlySpan<char> word)
    {
        uint hash = Hash(word);
        // A hint only: should the GC move the array meanwhile, a prefetch of its old address is harmless.
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(hash & (uint)_mask))));
        return hash;
    }

    /// <summary>The id of <paramref name="word"/> whose hash <see cref="Start"/> gave, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IdOf(ReadOnlySpan<char> word, uint hash)
    {
        int i = (int)(hash & (uint)_mask);
        while (true)
        {
            ref readonly var slot = ref _slots[i];
            if (slot.Id < 0) return -1;
            if (slot.Hash == hash && slot.Length == word.Length && Chars(slot).SequenceEqual(word)) return slot.Id;
            i = (i + 1) & _mask;
        }
    }

    private ReadOnlySpan<char> Chars(in Slot slot) => _pool.AsSpan(slot.Start, slot.Length);

    // FNV-1a over the UTF-16 code units, folded once: words are short, and the table only needs its low bits well mixed.
    private static uint Hash(ReadOnlySpan<char> word)
    {
        uint hash = 2166136261;
        foreach (char c in word) hash = (hash ^ c) * 16777619;
        return hash ^ (hash >> 15);
    }
}

using ServeNet.Core.Layers;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Ner;

// x[t,:] = [ window(t) | FOFE left(t), right(t) | charConv(t) | mean window of t's other mentions ]
//          [ W          | 2·d (α > 0)             | F          | W (mentions on)                    ]
// The tagger's input: the ±w window of per-token embeddings (Collobert et al. 2011), optionally the whole
// sentence's left and right context (FOFE over the window's word table), a character convolution of the
// token, and the window inputs of the other mentions of the same word in the document, averaged.
public sealed class TaggerInput : IInputLayer<TaggerBatch>
{
    public const string SpecKind = "tagger-input";

    // Scratch buffer numbers.
    private const int CentreIds = 0, Argmax = 1, Counts = 2;
    private const int Columns = 0, Convolved = 1, Sums = 2, ContextGradient = 3, WindowGradient = 4, ConvolvedGradient = 5, ColumnsGradient = 6;

    public TaggerInput(string name, ConcatEmbedding window, int centreWordSlot, float contextAlpha, CharConvolution? chars, bool mentions)
    {
        Name = name;
        Window = window;
        CentreWordSlot = centreWordSlot;
        Context = contextAlpha > 0 ? new FofeContext(window.Tables[0], contextAlpha) : null;
        Chars = chars;
        Mentions = mentions;
        ContextOffset = window.OutputSize;
        CharOffset = ContextOffset + (Context?.OutputSize ?? 0);
        MentionOffset = CharOffset + (chars?.OutputSize ?? 0);
        OutputSize = MentionOffset + (mentions ? window.OutputSize : 0);
        Parameters = window.Parameters.Concat(chars?.Parameters ?? []).ToArray();
    }

    /// <summary>The input for <paramref name="features"/>; table widths as given (the window tables in the order of
    /// <see cref="TaggerFeatures.Tables"/>: words, shapes, suffixes, prefixes, character n-grams, cased words).</summary>
    public static TaggerInput Create(string name, TaggerFeatures features, IReadOnlyList<TableSpec> windowTables, int charDimension)
    {
        var settings = features.Settings;
        var window = new ConcatEmbedding(name, windowTables, features.SlotTables, features.SlotGroups);
        var chars = settings.CharFilters > 0
            ? new CharConvolution($"{name}.charconv", features.Chars!.Count, charDimension, settings.CharWidth, settings.CharFilters, settings.MaxChars)
            : null;
        return new TaggerInput(name, window, settings.Window * features.PerToken, settings.ContextAlpha, chars, settings.Mentions);
    }

    /// <summary>Rebuilds the input from a checkpoint's spec: a window alone ("concat-embedding", version 1) or this kind.</summary>
    public static TaggerInput FromSpec(InputSpec spec, TaggerFeatures features)
    {
        if (spec.SlotTables is null || spec.Kind is not ("concat-embedding" or SpecKind))
            throw new NotSupportedException($"A tagger input must be '{SpecKind}' or 'concat-embedding' with slot tables; got '{spec.Kind}'.");
        var window = spec.Tables.Take(features.Tables).ToArray();
        var charTable = spec.Tables.FirstOrDefault(t => t.Name == $"{spec.Name}.charconv.chars");
        if (features.Settings.CharFilters > 0 && charTable is null)
            throw new NotSupportedException($"metadata.features asks for a character convolution but the input has no table '{spec.Name}.charconv.chars'.");
        var input = Create(spec.Name, features, window, charTable?.Cols ?? 0);
        if (input.OutputSize != spec.OutputSize)
            throw new NotSupportedException($"The tagger input is {spec.OutputSize} wide in the architecture but {input.OutputSize} for metadata.features.");
        return input;
    }

    public string Name { get; }
    public ConcatEmbedding Window { get; }
    /// <summary>The slot of a window row holding the tagged token's word id (read by the sentence context).</summary>
    public int CentreWordSlot { get; }
    public FofeContext? Context { get; }
    public CharConvolution? Chars { get; }
    public bool Mentions { get; }
    public int ContextOffset { get; }
    public int CharOffset { get; }
    public int MentionOffset { get; }
    public int OutputSize { get; }
    public IReadOnlyList<Parameter> Parameters { get; }

    public InputSpec Spec => new(SpecKind, Name, OutputSize,
        Parameters.Select(p => new TableSpec(p.Name, p.Rows, p.Cols)).ToArray(), Window.SlotTables,
        SlotGroups: Window.Groups == Window.Slots ? null : Window.SlotGroups);

    public void Initialize(SeededRandom random)
    {
        Window.Initialize(random); // as when the window was the whole input: a window-only tagger retrains to the same weights
        Chars?.Initialize(random.Fork(1));
    }

    public void Forward(in TaggerBatch x, Span<float> y, InputScratch scratch, PassContext context)
    {
        int rows = x.Rows, width = OutputSize;
        var windows = x.Windows.Span[..(rows * x.Slots)];
        Window.Forward(windows, rows, y, width, 0);
        if (Context is not null)
        {
            var ids = scratch.Ints(CentreIds, rows);
            for (int t = 0; t < rows; t++) ids[t] = windows[t * x.Slots + CentreWordSlot];
            Context.Forward(ids, x.Sentences.Span, y, width, ContextOffset);
        }
        if (Chars is not null)
        {
            var offsets = x.CharOffsets.Span;
            int positions = Chars.Positions(offsets, rows);
            Chars.Forward(x.Chars.Span, offsets, rows, scratch.Floats(Columns, positions * Chars.Kernel.Rows),
                scratch.Floats(Convolved, positions * Chars.OutputSize), scratch.Ints(Argmax, rows * Chars.OutputSize), y, width, CharOffset);
        }
        if (Mentions)
        {
            int d = Window.OutputSize;
            MentionPool.Forward(y, width, 0, d, x.Mentions.Span, rows, scratch.Floats(Sums, rows * d), scratch.Ints(Counts, rows),
                y, width, MentionOffset);
        }
    }

    public void Backward(in TaggerBatch x, ReadOnlySpan<float> dY, InputScratch scratch)
    {
        int rows = x.Rows, width = OutputSize;
        var windows = x.Windows.Span[..(rows * x.Slots)];
        if (Mentions)
        {
            // The window block's gradient: its own plus what it received through the other mentions' pools.
            int d = Window.OutputSize;
            var dWindow = scratch.Floats(WindowGradient, rows * d);
            for (int t = 0; t < rows; t++) dY.Slice(t * width, d).CopyTo(dWindow.Slice(t * d, d));
            MentionPool.Backward(dY, width, MentionOffset, d, x.Mentions.Span, rows, scratch.Floats(Sums, rows * d),
                scratch.Ints(Counts, rows), dWindow, d, 0);
            Window.Backward(windows, rows, dWindow, d, 0);
        }
        else
        {
            Window.Backward(windows, rows, dY, width, 0);
        }
        if (Context is not null)
            Context.Backward(scratch.Ints(CentreIds, rows), x.Sentences.Span, dY, width, ContextOffset,
                scratch.Floats(ContextGradient, Context.Table.Cols));
        if (Chars is not null)
        {
            var offsets = x.CharOffsets.Span;
            int positions = Chars.Positions(offsets, rows);
            Chars.Backward(x.Chars.Span, offsets, rows, scratch.Floats(Columns, positions * Chars.Kernel.Rows),
                scratch.Ints(Argmax, rows * Chars.OutputSize), dY, width, CharOffset,
                scratch.Floats(ConvolvedGradient, positions * Chars.OutputSize), scratch.Floats(ColumnsGradient, positions * Chars.Kernel.Rows));
        }
    }
}

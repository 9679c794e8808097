using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using ServeNet.Core.Kernels;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// y[b,:] = (1/|K_b|) (Σ_{t ∈ K_b, t < V} E[t,:] + Σ_s M_s·Σ_{t ∈ K_b, ⌊t/V⌋ = s} E[t − s·V,:])
//   E: [V, dim]   M_s: [dim, dim], s = 1..Scopes, stored one under the other in Scopes [Scopes·dim, dim]
//   y: [batch, dim]
// K_b: the ids of row b; in training each is dropped with probability WordDropout (Iyyer et al.
// 2015), keeping at least one. A row with no ids gives a zero vector. An id t ≥ V is word t mod V
// inside scope ⌊t/V⌋ (e.g. a negation): the scope's learned linear map M_s transforms it, so what
// "not" does to "bad" is learned once for every word rather than per word. Without scopes the layer
// is the plain DAN input.
public sealed class EmbeddingBag : IInputLayer<TokenBatch>
{
    /// <param name="scopes">Number of scope maps M_s (0: plain bag); each starts as the identity.</param>
    public EmbeddingBag(string name, int vocabulary, int dimension, float wordDropout = 0f, int scopes = 0)
    {
        if (wordDropout is < 0f or >= 1f)
            throw new ArgumentOutOfRangeException(nameof(wordDropout), wordDropout, "Word dropout must be in [0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(scopes);
        Name = name;
        Table = new Parameter($"{name}.table", vocabulary, dimension, sparseRows: true);
        Scopes = scopes > 0 ? new Parameter($"{name}.scopes", scopes * dimension, dimension) : null;
        WordDropout = wordDropout;
    }

    public string Name { get; }
    public Parameter Table { get; }
    /// <summary>The scope maps M_1..M_S, [S·dim, dim] (row o of M_s is row (s−1)·dim + o); null without scopes.</summary>
    public Parameter? Scopes { get; }
    public int ScopeCount => Scopes is null ? 0 : Scopes.Rows / Table.Cols;
    public float WordDropout { get; }
    public int OutputSize => Table.Cols;
    public IReadOnlyList<Parameter> Parameters => Scopes is null ? [Table] : [Table, Scopes];
    public InputSpec Spec => new("embedding-bag", Name, OutputSize,
        Scopes is null ? [new(Table.Name, Table.Rows, Table.Cols)] : [new(Table.Name, Table.Rows, Table.Cols), new(Scopes.Name, Scopes.Rows, Scopes.Cols)],
        WordDropout: WordDropout);

    public void Initialize(SeededRandom random)
    {
        random.FillGaussian(Table.Value, 0.1f);
        if (Scopes is null) return;
        // Every scope starts as the identity: a word in a scope starts out meaning what it means outside.
        Array.Clear(Scopes.Value);
        int dim = Table.Cols;
        for (int r = 0; r < Scopes.Rows; r++) Scopes.Value[r * dim + r % dim] = 1f;
    }

    public void Forward(in TokenBatch x, Span<float> y, InputScratch scratch, PassContext context)
    {
        scratch.HasKept = context.Training && WordDropout > 0f;
        var bag = scratch.HasKept ? DropWords(x, scratch, context.RequireRandom()) : x;
        int dim = Table.Cols, scopes = ScopeCount;
        if (scopes > 0) scratch.EnsureScopeCapacity(bag.Rows * scopes * dim, dim);
        for (int b = 0; b < bag.Rows; b++)
        {
            var row = y.Slice(b * dim, dim);
            row.Clear();
            var ids = bag.Row(b);
            // (rows, scopes, dim) sums of the words in each scope, kept for backward.
            var sums = scratch.ScopeSums.AsSpan(b * scopes * dim, scopes * dim);
            sums.Clear();
            int scoped = AddRows(ids, Table.Value, row, sums);
            for (int s = 0; s < scopes; s++)
                if ((scoped & (1 << s)) != 0) AddMapped(s, sums.Slice(s * dim, dim), row, context.Training);
            if (ids.Length > 1) TensorPrimitives.Multiply(row, 1f / ids.Length, row);
        }
    }

    private const int MaxListedOnStack = 256;

    /// <summary>
    /// Adds the rows of one bag's ids (the forward passes' one reading of the id encoding): a plain word's row of
    /// <paramref name="plainRows"/> (the table, or rows made from it, as wide as <paramref name="row"/>) into
    /// <paramref name="row"/>; a scoped word's table row into its scope's sum in <paramref name="scopeSums"/>
    /// [scopes, dim]. Returns the scopes whose sums were used: bit s − 1 for scope s.
    /// </summary>
    /// <param name="mappedScopeRows">
    /// With rows made from the table (<c>Sentiment/PrecomputedBagLayer</c>): <paramref name="plainRows"/> also holds, after
    /// the V plain rows, the first <paramref name="mappedScopeRows"/> words of each scope already through its map (scope s's
    /// word t at row V + (s − 1)·mappedScopeRows + t); those are added like plain words, the other scoped words summed.
    /// </param>
    [SkipLocalsInit]
    internal int AddRows(ReadOnlySpan<int> ids, ReadOnlySpan<float> plainRows, Span<float> row, Span<float> scopeSums, int mappedScopeRows = 0)
    {
        int width = row.Length, dim = Table.Cols, vocabulary = Table.Rows, scoped = 0, count = 0;
        // The rows to add are listed, then summed in one call that keeps the sum in registers across them.
        int[]? rented = ids.Length > MaxListedOnStack ? ArrayPool<int>.Shared.Rent(ids.Length) : null;
        Span<int> listed = rented is null ? stackalloc int[ids.Length] : rented;
        foreach (int id in ids)
        {
            int listedRow = ListedRow(id, vocabulary, mappedScopeRows);
            if (listedRow >= 0) listed[count++] = listedRow;
            else
            {
                int scope = id / vocabulary;
                var sum = scopeSums.Slice((scope - 1) * dim, dim);
                TensorPrimitives.Add(sum, Table.Row(id - scope * vocabulary), sum);
                scoped |= 1 << (scope - 1);
            }
        }
        MatMul.SumRows(plainRows, width, listed[..count], row, accumulate: true);
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
        return scoped;
    }

    /// <summary>Prefetches the rows <see cref="AddRows"/> will read for <paramref name="ids"/> (plain rows <paramref name="width"/> wide).</summary>
    internal void PrefetchRows(ReadOnlySpan<int> ids, ReadOnlySpan<float> plainRows, int width, int mappedScopeRows = 0)
    {
        int vocabulary = Table.Rows;
        foreach (int id in ids)
        {
            int listedRow = ListedRow(id, vocabulary, mappedScopeRows);
            CacheHints.Prefetch(listedRow >= 0 ? plainRows.Slice(listedRow * width, width) : Table.Row(id % vocabulary));
        }
    }

    // The row of plainRows an id adds (a plain word, or a scoped word mapped at load), or −1 if it goes to its scope's sum.
    private static int ListedRow(int id, int vocabulary, int mappedScopeRows)
    {
        if (id < vocabulary) return id;
        int scope = id / vocabulary, word = id - scope * vocabulary;
        return word < mappedScopeRows ? vocabulary + (scope - 1) * mappedScopeRows + word : -1;
    }

    /// <summary>
    /// Adds dY[b,:]/|K_b| into the gradient row of every kept plain id, M_sᵀ·dY[b,:]/|K_b| into the row
    /// of every word in scope s, and (dY[b,:]/|K_b|) ⊗ (the row's scope-s sum) into M_s's gradient.
    /// </summary>
    public void Backward(in TokenBatch x, ReadOnlySpan<float> dY, InputScratch scratch)
    {
        bool tableLearns = !Table.Frozen, scopesLearn = Scopes is { Frozen: false };
        if (!tableLearns && !scopesLearn) return;
        var bag = scratch.HasKept ? new TokenBatch(scratch.KeptIds, scratch.KeptOffsets.AsMemory(0, x.Rows + 1)) : x;
        int dim = Table.Cols, vocabulary = Table.Rows, scopes = ScopeCount;
        var touched = Table.TouchedRows!;
        for (int b = 0; b < bag.Rows; b++)
        {
            var ids = bag.Row(b);
            if (ids.Length == 0) continue;
            var g = dY.Slice(b * dim, dim);
            float scale = 1f / ids.Length;
            int scoped = 0;
            foreach (int id in ids)
            {
                if (id >= vocabulary)
                {
                    scoped |= 1 << (id / vocabulary - 1);
                    continue;
                }
                if (!tableLearns) continue;
                var gradRow = Table.GradRow(id);
                TensorPrimitives.MultiplyAdd(g, scale, gradRow, gradRow);
                touched.Add(id);
            }
            if (scoped == 0) continue;
            var sums = scratch.ScopeSums.AsSpan(b * scopes * dim, scopes * dim);
            var mapped = scratch.ScopeGradient.AsSpan(0, dim);
            for (int s = 0; s < scopes; s++)
            {
                if ((scoped & (1 << s)) == 0) continue;
                var sum = sums.Slice(s * dim, dim);
                // dM_s[o,:] += (g[o]/n)·sum;   mapped = M_sᵀ·g/n, the gradient of each word in scope s.
                mapped.Clear();
                for (int o = 0; o < dim; o++)
                {
                    float go = g[o] * scale;
                    if (scopesLearn)
                    {
                        var gradRow = Scopes!.Grad.AsSpan((s * dim + o) * dim, dim);
                        TensorPrimitives.MultiplyAdd(sum, go, gradRow, gradRow);
                    }
                    TensorPrimitives.MultiplyAdd(Scopes!.Value.AsSpan((s * dim + o) * dim, dim), go, mapped, mapped);
                }
                if (!tableLearns) continue;
                foreach (int id in ids)
                {
                    if (id / vocabulary != s + 1) continue;
                    int word = id - (s + 1) * vocabulary;
                    var gradRow = Table.GradRow(word);
                    TensorPrimitives.Add(gradRow, mapped, gradRow);
                    touched.Add(word);
                }
            }
        }
    }

    /// <summary>destination += scale · (what id adds to a bag's sum): E[id], or M_s·E[word] for a word in scope s.</summary>
    public void AddRepresentation(int id, Span<float> destination, float scale = 1f)
    {
        int vocabulary = Table.Rows;
        if (id < vocabulary)
        {
            TensorPrimitives.MultiplyAdd(Table.Row(id), scale, destination, destination);
            return;
        }
        int scope = id / vocabulary;
        Span<float> mapped = stackalloc float[Table.Cols];
        mapped.Clear();
        AddMapped(scope - 1, Table.Row(id - scope * vocabulary), mapped, training: false);
        TensorPrimitives.MultiplyAdd(mapped, scale, destination, destination);
    }

    // destination += M_s · x   (M_s row o is Scopes row s·dim + o). Inference takes the four-rows-at-a-time kernel;
    // training keeps one library dot product per row, whose rounding the shipped checkpoints were trained with, so
    // that `train sentiment` still writes them bit for bit (the two differ in the last bits of a sum).
    private unsafe void AddMapped(int s, ReadOnlySpan<float> x, Span<float> destination, bool training)
    {
        int dim = Table.Cols;
        var m = Scopes!.Value.AsSpan(s * dim * dim, dim * dim);
        if (training)
        {
            for (int o = 0; o < dim; o++) destination[o] += TensorPrimitives.Dot(m.Slice(o * dim, dim), x);
            return;
        }
        fixed (float* px = x, pm = m, pd = destination) DotRows.AddTo(px, dim, pm, dim, pd, dim);
    }

    private TokenBatch DropWords(in TokenBatch x, InputScratch scratch, SeededRandom random)
    {
        scratch.EnsureCapacity(x.Ids.Length, x.Rows);
        var kept = scratch.KeptIds;
        var offsets = scratch.KeptOffsets;
        int n = 0;
        offsets[0] = 0;
        for (int b = 0; b < x.Rows; b++)
        {
            var ids = x.Row(b);
            int start = n;
            foreach (int id in ids)
                if (random.NextFloat() >= WordDropout) kept[n++] = id;
            if (n == start && ids.Length > 0) kept[n++] = ids[random.NextInt(ids.Length)];
            offsets[b + 1] = n;
        }
        return new TokenBatch(kept.AsMemory(0, n), offsets.AsMemory(0, x.Rows + 1));
    }
}

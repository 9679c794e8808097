using System.Numerics.Tensors;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Layers;

// y[b,:] = (1/|K_b|) Σ_{t ∈ K_b} E[t,:]     E: [vocab, dim]   y: [batch, dim]
// K_b: the ids of row b; in training each is dropped with probability WordDropout (Iyyer et al.
// 2015), keeping at least one. A row with no ids gives a zero vector.
public sealed class EmbeddingBag : IInputLayer<TokenBatch>
{
    public EmbeddingBag(string name, int vocabulary, int dimension, float wordDropout = 0f)
    {
        if (wordDropout is < 0f or >= 1f)
            throw new ArgumentOutOfRangeException(nameof(wordDropout), wordDropout, "Word dropout must be in [0, 1).");
        Name = name;
        Table = new Parameter($"{name}.table", vocabulary, dimension, sparseRows: true);
        WordDropout = wordDropout;
    }

    public string Name { get; }
    public Parameter Table { get; }
    public float WordDropout { get; }
    public int OutputSize => Table.Cols;
    public IReadOnlyList<Parameter> Parameters => [Table];
    public InputSpec Spec => new("embedding-bag", Name, OutputSize, [new(Table.Name, Table.Rows, Table.Cols)], WordDropout: WordDropout);

    public void Initialize(SeededRandom random) => random.FillGaussian(Table.Value, 0.1f);

    public void Forward(in TokenBatch x, Span<float> y, InputScratch scratch, PassContext context)
    {
        scratch.HasKept = context.Training && WordDropout > 0f;
        var bag = scratch.HasKept ? DropWords(x, scratch, context.RequireRandom()) : x;
        int dim = Table.Cols;
        for (int b = 0; b < bag.Rows; b++)
        {
            var row = y.Slice(b * dim, dim);
            row.Clear();
            var ids = bag.Row(b);
            foreach (int id in ids) TensorPrimitives.Add(row, Table.Row(id), row);
            if (ids.Length > 1) TensorPrimitives.Multiply(row, 1f / ids.Length, row);
        }
    }

    /// <summary>Adds dY[b,:]/|K_b| into the gradient row of every kept id.</summary>
    public void Backward(in TokenBatch x, ReadOnlySpan<float> dY, InputScratch scratch)
    {
        if (Table.Frozen) return;
        var bag = scratch.HasKept ? new TokenBatch(scratch.KeptIds, scratch.KeptOffsets.AsMemory(0, x.Rows + 1)) : x;
        int dim = Table.Cols;
        var touched = Table.TouchedRows!;
        for (int b = 0; b < bag.Rows; b++)
        {
            var ids = bag.Row(b);
            if (ids.Length == 0) continue;
            var g = dY.Slice(b * dim, dim);
            float scale = 1f / ids.Length;
            foreach (int id in ids)
            {
                var gradRow = Table.GradRow(id);
                TensorPrimitives.MultiplyAdd(g, scale, gradRow, gradRow);
                touched.Add(id);
            }
        }
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

using System.Numerics.Tensors;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Optimization;

/// <summary>Gradient clipping by global L2 norm (Pascanu et al. 2013), sparse rows included.</summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all gradients of unfrozen parameters.</summary>
    public static double GlobalNorm(IEnumerable<Parameter> parameters)
    {
        double sum = 0;
        foreach (var p in parameters)
        {
            if (p.Frozen) continue;
            if (p.TouchedRows is null) sum += TensorPrimitives.SumOfSquares<float>(p.Grad);
            else foreach (int row in p.TouchedRows.Rows) sum += TensorPrimitives.SumOfSquares<float>(p.GradRow(row));
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Scales every gradient by maxNorm/norm when the global norm exceeds maxNorm; returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm(IReadOnlyCollection<Parameter> parameters, float maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        double norm = GlobalNorm(parameters);
        if (norm <= maxNorm || norm == 0) return norm;
        float scale = (float)(maxNorm / norm);
        foreach (var p in parameters)
        {
            if (p.Frozen) continue;
            if (p.TouchedRows is null) TensorPrimitives.Multiply(p.Grad, scale, p.Grad);
            else foreach (int row in p.TouchedRows.Rows) TensorPrimitives.Multiply(p.GradRow(row), scale, p.GradRow(row));
        }
        return norm;
    }
}

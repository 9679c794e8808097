using System.Numerics.Tensors;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Optimization;

/// <summary>Gradient clipping by global L2 norm (Pascanu et al. 2013), sparse rows included.</summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all gradients of unfrozen parameters.</summary>
    public static double GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        double sum = 0;
        for (int n = 0; n < parameters.Count; n++)
        {
            var p = parameters[n];
            if (p.Frozen) continue;
            if (p.TouchedRows is null)
            {
                sum += TensorPrimitives.SumOfSquares<float>(p.Grad);
                continue;
            }
            var rows = p.TouchedRows.Rows;
            for (int r = 0; r < rows.Count; r++) sum += TensorPrimitives.SumOfSquares<float>(p.GradRow(rows[r]));
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Scales every gradient by maxNorm/norm when the global norm exceeds maxNorm; returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        double norm = GlobalNorm(parameters);
        if (norm <= maxNorm || norm == 0) return norm;
        float scale = (float)(maxNorm / norm);
        for (int n = 0; n < parameters.Count; n++)
        {
            var p = parameters[n];
            if (p.Frozen) continue;
            if (p.TouchedRows is null)
            {
                TensorPrimitives.Multiply(p.Grad, scale, p.Grad);
                continue;
            }
            var rows = p.TouchedRows.Rows;
            for (int r = 0; r < rows.Count; r++) TensorPrimitives.Multiply(p.GradRow(rows[r]), scale, p.GradRow(rows[r]));
        }
        return norm;
    }
}

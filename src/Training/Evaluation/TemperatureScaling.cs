namespace ServeNet.Training.Evaluation;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one number T, logits divided by it before the softmax, chosen
/// to minimise the negative log-likelihood of held-out labels. With β = 1/T the loss
/// NLL(β) = mean_i [log Σ_c exp(β·z_ic) − β·z_iy] is convex in β, so Newton's method from β = 1
/// (with step halving) finds the optimum in a few steps. The predicted label never changes.
/// </summary>
public static class TemperatureScaling
{
    /// <summary>The temperature that minimises the NLL of <paramref name="labels"/> given logits [n, classes].</summary>
    public static float Fit(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        int n = labels.Length;
        if (n == 0 || logits.Length != n * classes) throw new ArgumentException($"{logits.Length} logits for {n} labels of {classes} classes.");
        double beta = 1, loss = Nll(logits, labels, classes, beta, out double gradient, out double curvature);
        for (int iteration = 0; iteration < 100 && Math.Abs(gradient) > 1e-7; iteration++)
        {
            double step = curvature > 1e-12 ? gradient / curvature : Math.Sign(gradient) * 0.1 * beta;
            double next = Math.Clamp(beta - step, 1e-3, 1e3);
            double nextLoss = Nll(logits, labels, classes, next, out double nextGradient, out double nextCurvature);
            for (int halvings = 0; nextLoss > loss && halvings < 30; halvings++)
            {
                next = (beta + next) / 2;
                nextLoss = Nll(logits, labels, classes, next, out nextGradient, out nextCurvature);
            }
            if (nextLoss > loss) break;
            (beta, loss, gradient, curvature) = (next, nextLoss, nextGradient, nextCurvature);
        }
        return (float)(1 / beta);
    }

    /// <summary>Mean NLL at β, with its first and second derivatives in β.</summary>
    internal static double Nll(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, double beta, out double gradient, out double curvature)
    {
        double loss = 0;
        gradient = 0;
        curvature = 0;
        Span<double> p = stackalloc double[classes];
        for (int i = 0; i < labels.Length; i++)
        {
            var z = logits.Slice(i * classes, classes);
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) max = Math.Max(max, beta * z[c]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += p[c] = Math.Exp(beta * z[c] - max);
            double mean = 0, square = 0;
            for (int c = 0; c < classes; c++)
            {
                p[c] /= sum;
                mean += p[c] * z[c];
                square += p[c] * z[c] * z[c];
            }
            loss += max + Math.Log(sum) - beta * z[labels[i]];
            gradient += mean - z[labels[i]];
            curvature += square - mean * mean;
        }
        return loss / labels.Length;
    }
}

namespace ServeNet.Core.Optimization;

/// <summary>
/// An extra term of the training objective that only adds gradients (e.g. a pull towards
/// pre-trained values). A trainer calls it after backward, before clipping and the update.
/// </summary>
public interface IGradientRegularizer
{
    void AddGradients();
}

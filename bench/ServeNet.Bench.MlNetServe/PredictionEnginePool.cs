using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace ServeNet.Bench.MlNetServe;

/// <summary>
/// A pool of ML.NET <see cref="PredictionEngine{TSrc, TDst}"/>s over one loaded model: an engine is not
/// thread-safe, so each request rents one and returns it. This is what Microsoft.Extensions.ML's
/// <c>PredictionEnginePool</c> does (a <see cref="DefaultObjectPool{T}"/> whose policy creates engines with
/// <c>MLContext.Model.CreatePredictionEngine</c>, retaining up to 2 × cores); that package is not served by
/// the registry this project builds against, so the same few lines live here over the framework's
/// Microsoft.Extensions.ObjectPool.
/// </summary>
public sealed class PredictionEnginePool<TInput, TPrediction>
    where TInput : class
    where TPrediction : class, new()
{
    private readonly ObjectPool<PredictionEngine<TInput, TPrediction>> _engines;

    public PredictionEnginePool(MLContext ml, ITransformer model)
    {
        Model = model;
        _engines = new DefaultObjectPool<PredictionEngine<TInput, TPrediction>>(new EnginePolicy(ml, model), 2 * Environment.ProcessorCount);
    }

    public ITransformer Model { get; }

    public TPrediction Predict(TInput input)
    {
        var engine = _engines.Get();
        try
        {
            return engine.Predict(input);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<TInput, TPrediction>>
    {
        public override PredictionEngine<TInput, TPrediction> Create() => ml.Model.CreatePredictionEngine<TInput, TPrediction>(model);

        public override bool Return(PredictionEngine<TInput, TPrediction> engine) => true;
    }
}

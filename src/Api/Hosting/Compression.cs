using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace ServeNet.Api.Hosting;

/// <summary>
/// ASP.NET Core's response compression (Brotli, then gzip, at their fastest levels) for the answers to large
/// batches only: a prediction handler marks its response (<see cref="MarkLargeBatch"/>) when its request had at
/// least CompressionOptions.MinimumBatch texts, and only marked responses are compressed. Off by default, and then
/// the middleware is not in the pipeline.
/// </summary>
public static class Compression
{
    private static readonly object LargeBatch = new();

    public static IServiceCollection AddServeNetCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true; // answers hold no secrets (keys are never echoed), so BREACH has nothing to find
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.AddSingleton<ResponseCompressionProvider>();
        services.AddSingleton<IResponseCompressionProvider, LargeBatchCompressionProvider>();
        return services;
    }

    public static IApplicationBuilder UseServeNetCompression(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<CompressionOptions>>().Value.Enabled ? app.UseResponseCompression() : app;

    /// <summary>Marks the answer to a request of <paramref name="texts"/> texts for compression when it is a large batch.</summary>
    public static void MarkLargeBatch(HttpContext context, int texts, CompressionOptions options)
    {
        if (options.Enabled && texts >= options.MinimumBatch) context.Items[LargeBatch] = LargeBatch;
    }

    /// <summary>The framework's provider (Accept-Encoding, MIME types), asked only for marked responses.</summary>
    private sealed class LargeBatchCompressionProvider(ResponseCompressionProvider framework) : IResponseCompressionProvider
    {
        public ICompressionProvider? GetCompressionProvider(HttpContext context) => framework.GetCompressionProvider(context);

        public bool ShouldCompressResponse(HttpContext context) =>
            context.Items.ContainsKey(LargeBatch) && framework.ShouldCompressResponse(context);

        public bool CheckRequestAcceptsCompression(HttpContext context) => framework.CheckRequestAcceptsCompression(context);
    }
}

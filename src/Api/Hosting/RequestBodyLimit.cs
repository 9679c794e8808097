using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ServeNet.Api.Errors;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Hosting;

public static class RequestBodyLimit
{
    /// <summary>
    /// Refuses a body over LimitsOptions.MaxRequestBodyBytes with 413 problem details: at once when
    /// Content-Length says so, while reading when the body is chunked. (Kestrel's own limit is the
    /// same number, but its error surfaces inside minimal-API binding without problem details.)
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        long limit = app.ApplicationServices.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxRequestBodyBytes;
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.ContentLength > limit)
            {
                await Problems.BodyTooLarge(limit).ExecuteAsync(context);
                return;
            }
            if (request.ContentLength is null && HttpMethods.IsPost(request.Method))
            {
                // Chunked: count as we read, and let our stream be the one that refuses.
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = null;
                request.Body = new LimitedReadStream(request.Body, limit);
            }
            await next(context);
        });
    }
}

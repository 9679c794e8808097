using System.IO.Pipelines;
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
    /// same number, but its error surfaces inside minimal-API binding without problem details.) Every
    /// POST body is read through <see cref="RequestBodyStream"/>, whose pending read is cancelled when
    /// the request's time limit expires or the client goes: Kestrel's body reads take no part in
    /// HttpContext.RequestAborted, so a slow upload would otherwise outlive any time limit.
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
            if (!HttpMethods.IsPost(request.Method))
            {
                await next(context);
                return;
            }
            var reader = request.BodyReader; // Kestrel's own, before the body is replaced
            // Chunked: count as we read, and let our stream be the one that refuses.
            if (request.ContentLength is null && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = null;
            request.Body = new RequestBodyStream(reader, limit, () => ClientGone.MarkBodyCutShort(context));
            using var cut = context.RequestAborted.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), reader);
            await next(context);
        });
    }
}

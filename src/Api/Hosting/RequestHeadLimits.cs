using Microsoft.Extensions.Options;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Hosting;

public static class RequestHeadLimits
{
    /// <summary>
    /// 414 problem details for a request target longer than ServerOptions.MaxRequestTargetLength, 431
    /// for headers over MaxRequestHeadersBytes or MaxRequestHeaderCount. Kestrel's own limits (twice
    /// these, <see cref="Kestrel"/>) would answer the same statuses before the pipeline, with no body.
    /// </summary>
    public static IApplicationBuilder UseRequestHeadLimits(this IApplicationBuilder app)
    {
        var server = app.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        int maxTarget = server.MaxRequestTargetLength, maxBytes = server.MaxRequestHeadersBytes, maxCount = server.MaxRequestHeaderCount;
        return app.Use((context, next) =>
        {
            var request = context.Request;
            int target = (request.PathBase.Value?.Length ?? 0) + (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
            if (target > maxTarget) return Problems.UriTooLong(target, maxTarget).ExecuteAsync(context);
            int count = 0;
            long bytes = 0;
            foreach (var (name, values) in request.Headers)
            {
                foreach (string? value in values)
                {
                    count++;
                    bytes += name.Length + (value?.Length ?? 0);
                }
            }
            if (count > maxCount || bytes > maxBytes) return Problems.HeadersTooLarge(bytes, count, maxBytes, maxCount).ExecuteAsync(context);
            return next(context);
        });
    }
}

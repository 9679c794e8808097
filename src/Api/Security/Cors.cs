using Microsoft.Extensions.Options;
using ServeNet.Api.Observability;
using ServeNet.Api.Security;

namespace ServeNet.Api.Security;

/// <summary>
/// Cross-origin calls from the pages of ServeNet:Security:CorsOrigins (ASP.NET Core's CORS middleware): GET and POST,
/// the headers a client sends (Content-Type, Authorization, X-Api-Key, X-Request-Id, traceparent), and the response
/// headers it may read (X-Model-Version, X-Request-Id, traceparent, Retry-After). Without origins the middleware is
/// not in the pipeline: browsers refuse cross-origin calls, and a preflight answers 405.
/// </summary>
public static class Cors
{
    public static IServiceCollection AddServeNetCors(this IServiceCollection services) =>
        services.AddCors().AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<SecurityOptions>>((cors, security) =>
            {
                string[] origins = security.Value.CorsOrigins;
                if (origins.Length == 0) return;
                cors.AddDefaultPolicy(policy =>
                {
                    if (origins.Contains("*")) policy.AllowAnyOrigin();
                    else policy.WithOrigins(origins);
                    policy.WithMethods("GET", "POST")
                        .WithHeaders("Content-Type", "Authorization", ApiKeys.Header, RequestIds.Header, RequestIds.TraceParent)
                        .WithExposedHeaders(PredictionLog.VersionHeader, RequestIds.Header, RequestIds.TraceParent, "Retry-After")
                        .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
                });
            }).Services;

    /// <summary>After routing; only when origins are configured.</summary>
    public static IApplicationBuilder UseServeNetCors(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value.CorsOrigins.Length == 0 ? app : app.UseCors();
}

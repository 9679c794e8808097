using Microsoft.AspNetCore.Http.Json;

namespace ServeNet.Api.Infrastructure;

public static class ProblemDetailsDefaults
{
    /// <summary>
    /// RFC 7807 problem details for every error, with a trace id (added by ASP.NET Core), a hint for
    /// the problems the framework raises without one, and strict JSON reading (a repeated property is an error).
    /// </summary>
    public static IServiceCollection AddServeNetProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Detail is not null) return;
            problem.Detail = problem.Status switch
            {
                StatusCodes.Status404NotFound => $"No endpoint at {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}; see /swagger.",
                StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed here; see /swagger.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with the header Content-Type: application/json.",
                StatusCodes.Status500InternalServerError => "An unexpected error occurred; it has been logged with this trace id.",
                _ => null,
            };
        });
        services.Configure<JsonOptions>(options => options.SerializerOptions.AllowDuplicateProperties = false);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }
}

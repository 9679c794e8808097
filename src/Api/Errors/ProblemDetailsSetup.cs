namespace ServeNet.Api.Errors;

public static class ProblemDetailsSetup
{
    /// <summary>
    /// RFC 7807 problem details for every error, with a trace id (added by ASP.NET Core) and a detail
    /// for the problems the framework raises without one. Requests the framework cannot bind surface as
    /// exceptions (RouteHandlerOptions.ThrowOnBadRequest) that <see cref="RequestExceptionHandler"/> answers. Under /v2
    /// the same problems are written as the Open Inference Protocol's {"error": "..."} (<see cref="OpenInferenceErrorWriter"/>).
    /// </summary>
    public static IServiceCollection AddServeNetProblemDetails(this IServiceCollection services)
    {
        // First, so that it answers under /v2 before the default writer answers everywhere.
        services.AddSingleton<IProblemDetailsWriter, OpenInferenceErrorWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= Problems.DefaultDetail(context.ProblemDetails.Status, context.HttpContext.Request));
        services.AddExceptionHandler<RequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }
}

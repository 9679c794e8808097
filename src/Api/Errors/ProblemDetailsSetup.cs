using ServeNet.Api.Hosting;

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

    /// <summary>
    /// Problem details for every error status set without a body (routing's 404/405/415, a body the
    /// framework could not read, Kestrel's errors that reach the pipeline), except when the client is
    /// gone: then the status becomes 499 (client closed request) and nothing is written, so that the
    /// request log says what happened in one line.
    /// </summary>
    public static IApplicationBuilder UseServeNetStatusCodePages(this IApplicationBuilder app)
    {
        var problems = app.ApplicationServices.GetRequiredService<IProblemDetailsService>();
        return app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (ClientGone.Is(http))
            {
                http.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
                return;
            }
            // As the default handler: problem details when the client accepts JSON, else the bare status.
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = http.Response.StatusCode } });
        });
    }
}

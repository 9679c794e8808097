using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ServeNet.Api.Page;

/// <summary>
/// The page at "/" where anyone can try both models in a browser (wwwroot/: HTML, CSS and two small
/// ES modules, no framework, nothing from a CDN). Served from the files beside the assembly, so it
/// works wherever the app runs from (dotnet run, tests, the image), under a strict
/// Content-Security-Policy: only this origin's scripts, styles and API.
/// </summary>
public static class DemoPage
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseDemoPage(this IApplicationBuilder app)
    {
        string root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root)) return app; // a build without the page still serves the API
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Small files that change with each release: always revalidate (ETag), never serve a stale page.
                headers[HeaderNames.CacheControl] = "no-cache";
            },
        });
    }
}

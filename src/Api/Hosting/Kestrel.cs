using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Hosting;

public static class Kestrel
{
    /// <summary>
    /// Listens where ServerOptions says unless addresses were given the ASP.NET Core way (--urls,
    /// ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS / HTTPS_PORTS as the .NET container images set), and
    /// caps request bodies at LimitsOptions.
    /// </summary>
    public static IServiceCollection ConfigureServeNetKestrel(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>, IOptions<LimitsOptions>, IConfiguration>((kestrel, server, limits, configuration) =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
                if (!string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"])
                    || !string.IsNullOrEmpty(configuration["https_ports"])) return;
                var (host, port) = (server.Value.Host, server.Value.Port);
                if (host == "localhost") kestrel.ListenLocalhost(port);
                else if (host == "*") kestrel.ListenAnyIP(port);
                else kestrel.Listen(IPAddress.Parse(host), port);
            });
        return services;
    }
}

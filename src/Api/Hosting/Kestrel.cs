using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ServeNet.Api.Predictions;

namespace ServeNet.Api.Hosting;

public static class Kestrel
{
    /// <summary>
    /// Listens where ServerOptions says unless addresses were given the ASP.NET Core way (--urls,
    /// ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS / HTTPS_PORTS as the .NET container images set), caps
    /// request bodies at LimitsOptions and open connections at ServerOptions.MaxConnections. Kestrel's
    /// own request-line and header limits are set to twice ServerOptions' so that a request between
    /// the two reaches the pipeline and gets 414/431 problem details (<see cref="RequestHeadLimits"/>);
    /// Kestrel answers what lies beyond them, or what it cannot parse, before the pipeline runs, with a
    /// bare status.
    /// </summary>
    public static IServiceCollection ConfigureServeNetKestrel(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>, IOptions<LimitsOptions>, IConfiguration>((kestrel, server, limits, configuration) =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
                var settings = server.Value;
                kestrel.Limits.MaxConcurrentConnections = settings.MaxConnections > 0 ? settings.MaxConnections : null;
                // Method, target and "HTTP/1.1" on one line: the target limit plus room for the rest.
                kestrel.Limits.MaxRequestLineSize = 2 * settings.MaxRequestTargetLength + 64;
                kestrel.Limits.MaxRequestHeadersTotalSize = 2 * settings.MaxRequestHeadersBytes;
                kestrel.Limits.MaxRequestHeaderCount = 2 * settings.MaxRequestHeaderCount;
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

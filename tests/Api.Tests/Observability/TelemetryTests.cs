using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Observability;

/// <summary>
/// OpenTelemetry over OTLP, switched on by the standard variables only: a stand-in collector on loopback receives
/// what the API exports (OTLP over HTTP/protobuf, the bodies searched for the ids and names they must carry).
/// </summary>
public sealed class TelemetryTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task Otlp_WithTheEndpointVariable_ExportsTheServerSpanOfTheCallersTraceAndHttpMetrics()
    {
        await using var collector = await Collector.StartAsync();
        await using var factory = new ApiFactory
        {
            Settings =
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
                ["OTEL_SERVICE_NAME"] = "servenet-test",
            },
        };
        var client = await factory.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/classify") { Content = JsonContent.Create(new { text = "good" }) };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Trace ids travel as 16 raw bytes in OTLP/protobuf.
        byte[] traceId = Convert.FromHexString(TraceId);
        await collector.WaitFor("/v1/traces", body => body.AsSpan().IndexOf(traceId) >= 0);
        await collector.WaitFor("/v1/metrics", body => Encoding.UTF8.GetString(body).Contains("http.server.request.duration"));
        Assert.Contains(collector.Bodies("/v1/traces"), body => Encoding.UTF8.GetString(body).Contains("servenet-test"));
    }

    [Fact]
    public void Telemetry_WithoutAnEndpoint_IsOff()
    {
        var off = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection([]).Build();
        var on = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces")]).Build();
        var disabled = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), new("OTEL_SDK_DISABLED", "true")]).Build();

        Assert.False(ServeNet.Api.Observability.Telemetry.IsExporting(off));
        Assert.True(ServeNet.Api.Observability.Telemetry.IsExporting(on));
        Assert.False(ServeNet.Api.Observability.Telemetry.IsExporting(disabled));
    }

    /// <summary>An OTLP/HTTP receiver on a loopback port that keeps every body it is sent, by path.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

        private Collector(WebApplication app) => _app = app;

        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var collector = new Collector(app);
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector._received.Enqueue((context.Request.Path, body.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public IEnumerable<byte[]> Bodies(string path) => _received.Where(r => r.Path == path).Select(r => r.Body);

        /// <summary>Polls until a body sent to <paramref name="path"/> matches; fails after 30 s naming what arrived.</summary>
        public async Task WaitFor(string path, Func<byte[], bool> match)
        {
            for (int i = 0; i < 300; i++)
            {
                if (Bodies(path).Any(match)) return;
                await Task.Delay(100);
            }
            Assert.Fail($"Nothing matching was exported to {path}; received: {string.Join(", ", _received.Select(r => $"{r.Path} ({r.Body.Length} B)"))}.");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

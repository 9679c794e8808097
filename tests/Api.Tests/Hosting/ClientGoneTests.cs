using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Events;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Hosting;

/// <summary>
/// Clients that go away mid-body, on real Kestrel over a socket (the in-memory server has no
/// connection to lose): one request line with 499, no 400 or 500, no stack trace in the log.
/// </summary>
public sealed class ClientGoneTests
{
    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_ClientClosesMidBody_LogsOne499LineAndNoError(string url)
    {
        await using var factory = new ApiFactory { Settings = { ["urls"] = "http://127.0.0.1:0" } };
        await StartKestrel(factory);

        using (var socket = await Connect(factory.Services))
        {
            await Send(socket, Head(url, contentLength: 1_000) + """{"text": "a good fi""");
            await InFlight(factory.Services, url); // the request is in the pipeline, reading its body
        } // closed with 980 bytes of the body never sent

        var line = await RequestLine(factory, url);
        Assert.Equal(499, StatusCode(line));
        Assert.DoesNotContain(factory.Logs.Events, e => e.Level >= LogEventLevel.Warning);
    }

    [Fact]
    public async Task Predict_UploadCutByTheShutdownTimeout_LogsTheCutAnd499_NotAnError()
    {
        var factory = new ApiFactory { Settings = { ["urls"] = "http://127.0.0.1:0" } };
        // The same host (settings, models, log collector) with a one-second shutdown timeout.
        var shortShutdown = factory.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1))));
        await using (factory)
        {
            shortShutdown.UseKestrel();
            shortShutdown.StartServer();
            await shortShutdown.Services.GetRequiredService<ServeNet.Api.Models.ModelRegistry>().StartupLoadCompleted.WaitAsync(TimeSpan.FromSeconds(30));
            var logs = factory.Logs;
            using var socket = await Connect(shortShutdown.Services);
            await Send(socket, Head("/classify", contentLength: 1_000) + """{"text": "a good fi""");
            await InFlight(shortShutdown.Services, "/classify");

            await shortShutdown.DisposeAsync(); // SIGTERM's path: StopAsync, then Kestrel aborts what is left after 1 s

            Assert.True(logs.Messages.Any(m => m.Contains("was cut by shutdown", StringComparison.Ordinal)), string.Join("\n", logs.Events.Select(e => $"{e.Level} {e.RenderMessage()} {e.Exception?.GetType().Name}")));
            var line = logs.Events.Single(e => e.Properties.ContainsKey("StatusCode") && e.RenderMessage().Contains("/classify", StringComparison.Ordinal));
            Assert.Equal(499, StatusCode(line));
            Assert.DoesNotContain(logs.Events, e => e.Level >= LogEventLevel.Error || e.Exception is not null);
        }
    }

    private static async Task StartKestrel(ApiFactory factory)
    {
        factory.UseKestrel();
        factory.StartServer();
        await factory.Registry.StartupLoadCompleted.WaitAsync(TimeSpan.FromSeconds(30));
    }

    // Where the test host's Kestrel listens.
    private static Uri Address(IServiceProvider services) =>
        new(services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    private static async Task<Socket> Connect(IServiceProvider services)
    {
        var address = Address(services);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port);
        return socket;
    }

    // Waits until /metrics shows a request to the url in progress.
    private static async Task InFlight(IServiceProvider services, string url)
    {
        using var client = new HttpClient { BaseAddress = Address(services) };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        // e.g. http_requests_in_progress{method="POST",endpoint="/classify"} 1 (labels in any order, others allowed)
        var gauge = new Regex($@"^http_requests_in_progress\{{[^}}]*endpoint=""{Regex.Escape(url)}""[^}}]*\}} 1$",
            RegexOptions.Multiline);
        while (!gauge.IsMatch(await client.GetStringAsync("/metrics")))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no request to {url} in progress after 10 s");
            await Task.Delay(20);
        }
    }

    private static string Head(string url, int contentLength) =>
        $"POST {url} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n";

    private static async Task Send(Socket socket, string text) => await socket.SendAsync(Encoding.UTF8.GetBytes(text));

    // The request log's line for the url, once the request has finished.
    private static async Task<LogEvent> RequestLine(ApiFactory factory, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var line = factory.Logs.Events.FirstOrDefault(e => e.Properties.ContainsKey("StatusCode") && e.RenderMessage().Contains(url, StringComparison.Ordinal));
            if (line is not null) return line;
            Assert.True(DateTime.UtcNow < deadline, $"no request line for {url}; log: {string.Join(" | ", factory.Logs.Messages)}");
            await Task.Delay(20);
        }
    }

    private static int StatusCode(LogEvent line) => (int)((ScalarValue)line.Properties["StatusCode"]).Value!;
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServeNet.Api.Models;

namespace ServeNet.Browser.Tests;

/// <summary>
/// The API on real Kestrel at a free loopback port (a browser cannot reach an in-memory test
/// server), serving the repository's shipped models or another folder.
/// </summary>
public sealed class ServedApi : WebApplicationFactory<Program>
{
    private readonly string _models;

    public ServedApi(string modelsDirectory)
    {
        _models = modelsDirectory;
        UseKestrel();
    }

    /// <summary>http://127.0.0.1:port, once started.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Starts Kestrel and waits for the start-up load of every model (whatever its outcome).</summary>
    public async Task<Uri> StartAsync()
    {
        StartServer();
        await Services.GetRequiredService<ModelRegistry>().StartupLoadCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return Address = new Uri(addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseUrls("http://127.0.0.1:0");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServeNet:Models:Directory"] = _models,
            ["ServeNet:Models:Watch"] = "false",
        }));
    }

    /// <summary>models/ beside ServeNet.sln, found by walking up from the test assembly's folder.</summary>
    public static string ShippedModels()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "ServeNet.sln"))) return Path.Combine(folder.FullName, "models");
        throw new InvalidOperationException($"No ServeNet.sln above {AppContext.BaseDirectory}: cannot find the repository's models/ folder.");
    }
}

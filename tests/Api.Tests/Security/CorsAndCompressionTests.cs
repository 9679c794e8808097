using System.IO.Compression;
using System.Net;
using System.Text;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Security;

/// <summary>CORS and response compression: off by default, on by a setting.</summary>
public sealed class CorsAndCompressionTests
{
    private const string Origin = "https://app.example.com";

    [Fact]
    public async Task Cors_ByDefault_IsOff()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();

        var preflight = await client.SendAsync(Preflight("/classify"));
        var call = await client.SendAsync(Post("/classify", """{"text": "good"}""", origin: Origin));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, preflight.StatusCode);
        Assert.False(call.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_WithAnOrigin_AnswersItsPreflightAndExposesTheHeaders()
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Security:CorsOrigins:0"] = Origin } };
        var client = await factory.StartAsync();

        var preflight = await client.SendAsync(Preflight("/v2/models/sentiment/infer"));
        var call = await client.SendAsync(Post("/classify", """{"text": "good"}""", origin: Origin));
        var stranger = await client.SendAsync(Post("/classify", """{"text": "good"}""", origin: "https://evil.example.org"));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Origin, Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("x-api-key", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal(Origin, Assert.Single(call.Headers.GetValues("Access-Control-Allow-Origin")));
        string exposed = string.Join(",", call.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("X-Model-Version", exposed);
        Assert.Contains("X-Request-Id", exposed);
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Compression_ByDefault_IsOff()
    {
        await using var factory = new ApiFactory();
        var client = await factory.StartAsync();

        var response = await client.SendAsync(Post("/classify", Batch(64), acceptEncoding: "br, gzip"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, br", "br")]
    public async Task Compression_WhenOn_CompressesLargeBatchesOnly(string accepted, string used)
    {
        await using var factory = new ApiFactory { Settings = { ["ServeNet:Compression:Enabled"] = "true", ["ServeNet:Compression:MinimumBatch"] = "16" } };
        var client = await factory.StartAsync();

        var large = await client.SendAsync(Post("/ner", Batch(16), acceptEncoding: accepted));
        var small = await client.SendAsync(Post("/ner", Batch(15), acceptEncoding: accepted));
        var plain = await client.SendAsync(Post("/ner", Batch(16)));

        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Equal([used], large.Content.Headers.ContentEncoding);
        byte[] compressed = await large.Content.ReadAsByteArrayAsync();
        string json = Encoding.UTF8.GetString(Decompress(compressed, used));
        string uncompressed = await plain.Content.ReadAsStringAsync();
        Assert.Equal(uncompressed, json);
        Assert.True(compressed.Length < uncompressed.Length / 4, $"{compressed.Length} bytes compressed from {uncompressed.Length}");
        Assert.Empty(small.Content.Headers.ContentEncoding);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
    }

    private static string Batch(int n) => $$"""{"texts": [{{string.Join(", ", Enumerable.Range(0, n).Select(i => $"\"Angela Merkel visited Paris with NASA {i}\""))}}]}""";

    private static byte[] Decompress(byte[] bytes, string encoding)
    {
        using var input = new MemoryStream(bytes);
        using Stream decompressor = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }

    private static HttpRequestMessage Preflight(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type, x-api-key");
        return request;
    }

    private static HttpRequestMessage Post(string url, string body, string? origin = null, string? acceptEncoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return request;
    }
}

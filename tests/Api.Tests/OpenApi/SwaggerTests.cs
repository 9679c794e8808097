using System.Net;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.OpenApi;

public sealed class SwaggerTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Swagger_Document_DescribesEveryEndpointWithItsResponses()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Json();
        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("info").GetProperty("description").GetString()));
        var paths = document.GetProperty("paths");
        var expected = new Dictionary<(string Path, string Method), string[]>
        {
            [("/classify", "post")] = ["200", "400", "413", "415", "429", "500", "503", "504"],
            [("/ner", "post")] = ["200", "400", "413", "415", "429", "500", "503", "504"],
            [("/models", "get")] = ["200", "500"],
            [("/models/reload", "post")] = ["200", "401", "403", "404", "500"],
            [("/health/live", "get")] = ["200", "500"],
            [("/health/ready", "get")] = ["200", "500", "503"],
        };
        foreach (var ((path, method), codes) in expected)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has a summary");
            Assert.Equal(codes, operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        }
        Assert.False(paths.TryGetProperty("/noop", out _), "the benchmark aid is not part of the documented API");
    }

    [Theory]
    [InlineData("/classify", "a wonderful, moving film")]
    [InlineData("/ner", "Angela Merkel visited Paris")]
    public async Task Swagger_PredictionEndpoints_HaveSingleAndBatchExamples(string path, string example)
    {
        var client = await factory.StartAsync();

        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).Json();

        var body = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody");
        Assert.True(body.GetProperty("required").GetBoolean());
        var examples = body.GetProperty("content").GetProperty("application/json").GetProperty("examples");
        Assert.Equal(example, examples.GetProperty("single").GetProperty("value").GetProperty("text").GetString());
        Assert.True(examples.GetProperty("batch").GetProperty("value").GetProperty("texts").GetArrayLength() > 1);
    }

    [Fact]
    public async Task Swagger_NerSchema_SaysOffsetsAreUtf16CodeUnits()
    {
        var client = await factory.StartAsync();

        string document = await client.GetStringAsync("/swagger/v1/swagger.json");

        Assert.Contains("UTF-16 code units", document);
        Assert.Contains("NerEntity", document);
    }

    [Fact]
    public async Task Swagger_Ui_IsServed()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Root_ServesTheTryItPageLinkingToSwaggerUnderAStrictContentSecurityPolicy()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("href=\"/swagger\"", html);
        Assert.DoesNotContain("<script>", html); // no inline script: the policy allows only this origin's files
        string policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        foreach (var asset in new[] { "/app.js", "/api.js", "/render.js", "/app.css", "/favicon.svg" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(asset)).StatusCode);
    }
}

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
            [("/classify", "post")] = ["200", "400", "401", "413", "415", "429", "500", "503", "504"],
            [("/ner", "post")] = ["200", "400", "401", "413", "415", "429", "500", "503", "504"],
            [("/v2/models/{name}/infer", "post")] = ["200", "400", "401", "404", "413", "415", "429", "500", "503", "504"],
            [("/v2/models/{name}/versions/{version}/infer", "post")] = ["200", "400", "401", "404", "413", "415", "429", "500", "503", "504"],
            [("/v2/models/{name}", "get")] = ["200", "404", "500", "503"],
            [("/v2/models/{name}/ready", "get")] = ["200", "404", "500", "503"],
            [("/v2/health/ready", "get")] = ["200", "503"],
            [("/v2/health/live", "get")] = ["200"],
            [("/models", "get")] = ["200", "500"],
            [("/models/{name}", "get")] = ["200", "404", "500"],
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
    public async Task Swagger_EveryOperation_DeclaresRequestIdAndPredictionsTheModelVersion()
    {
        var client = await factory.StartAsync();

        var paths = (await (await client.GetAsync("/swagger/v1/swagger.json")).Json()).GetProperty("paths");

        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    var headers = response.Value.GetProperty("headers");
                    Assert.True(headers.TryGetProperty("X-Request-Id", out _), $"{operation.Name} {path.Name} {response.Name} declares X-Request-Id");
                    bool prediction = path.Name is "/classify" or "/ner" || path.Name.EndsWith("/infer", StringComparison.Ordinal);
                    Assert.Equal(prediction && response.Name == "200", headers.TryGetProperty("X-Model-Version", out _));
                }
    }

    [Fact]
    public async Task Swagger_EveryGetAndPrediction_ShowsTheShippedModelsAnswers()
    {
        var client = await factory.StartAsync();

        var paths = (await (await client.GetAsync("/swagger/v1/swagger.json")).Json()).GetProperty("paths");

        string[] documented = ["/classify", "/ner", "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}", "/v2/models/{name}/ready",
            "/v2/models/{name}/infer", "/models", "/models/{name}", "/models/reload", "/health/live", "/health/ready"];
        foreach (string path in documented)
        {
            // The GET or the POST (the health routes also answer HEAD, which has no body to show).
            var operation = paths.GetProperty(path).EnumerateObject().Single(o => o.Name is "get" or "post").Value;
            var examples = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("examples");
            Assert.True(examples.EnumerateObject().Any(), $"{path} shows an example answer");
            foreach (var example in examples.EnumerateObject())
                Assert.NotEqual(System.Text.Json.JsonValueKind.Undefined, example.Value.GetProperty("value").ValueKind);
        }
        string classify = paths.GetProperty("/classify").GetProperty("post").GetProperty("responses").GetProperty("200").ToString();
        Assert.Contains("\"version\":\"sentiment-", classify.Replace(" ", "")); // a real answer, not "string"
        Assert.DoesNotContain("additionalProp1", classify);
    }

    [Fact]
    public async Task Swagger_Predictions_DeclareTheApiKeySchemeAndNothingElseDoes()
    {
        var client = await factory.StartAsync();

        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).Json();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                bool prediction = path.Name is "/classify" or "/ner" || path.Name.EndsWith("/infer", StringComparison.Ordinal);
                Assert.Equal(prediction, operation.Value.TryGetProperty("security", out _));
            }
    }

    [Fact]
    public async Task Swagger_Tags_ListThePredictionsFirst()
    {
        var client = await factory.StartAsync();

        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).Json();

        Assert.Equal(["Sentiment", "Named entities", "Open Inference Protocol (KServe V2)", "Models", "Health"],
            document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        var firstTags = document.GetProperty("paths").EnumerateObject()
            .Select(p => p.Value.EnumerateObject().First().Value.GetProperty("tags")[0].GetString()).Distinct();
        Assert.Equal(["Sentiment", "Named entities", "Open Inference Protocol (KServe V2)", "Models", "Health"], firstTags);
    }

    [Fact]
    public void ResponseExamples_EveryNamedExample_IsEmbedded()
    {
        string[] embedded = [.. ServeNet.Api.OpenApi.ResponseExamples.All()];
        string source = Path.Combine(FindRepository(), "src", "Api");
        var named = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"WithResponseExamples\(([^)]*)\)"))
            .SelectMany(m => System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, "\"([^\"]+)\"").Select(n => n.Groups[1].Value))
            .ToArray();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, embedded));
    }

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "ServeNet.sln"))) return folder.FullName;
        throw new InvalidOperationException("No ServeNet.sln above the test assembly.");
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

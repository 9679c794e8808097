using System.Net;
using System.Net.Http.Json;
using System.Text;
using ServeNet.Api.Tests.Fixtures;

namespace ServeNet.Api.Tests.Errors;

/// <summary>Every kind of bad request, on both prediction endpoints: problem details naming the field.</summary>
public sealed class BadInputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string, string, string> InvalidBodies()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var url in new[] { "/classify", "/ner" })
        {
            data.Add(url, """{"text": "unterminated""", "text");
            data.Add(url, """not json at all""", "body");
            data.Add(url, """["a", "b"]""", "body");
            data.Add(url, """null""", "body");
            data.Add(url, """{"text": 42}""", "text");
            data.Add(url, """{"text": ["a"]}""", "text");
            data.Add(url, """{"texts": "a"}""", "texts");
            data.Add(url, """{"texts": ["a", 5]}""", "texts[1]");
            data.Add(url, """{"texts": ["a", {"x": 1}]}""", "texts[1]");
            data.Add(url, """{}""", "text");
            data.Add(url, """{"txt": "typo"}""", "text");
            data.Add(url, """{"text": null}""", "text");
            data.Add(url, """{"text": ""}""", "text");
            data.Add(url, """{"text": "  \t\n\r "}""", "text");
            data.Add(url, """{"text": "\u2003\u3000"}""", "text");
            data.Add(url, """{"texts": []}""", "texts");
            data.Add(url, """{"texts": ["fine", " "]}""", "texts[1]");
            data.Add(url, """{"texts": ["fine", null]}""", "texts[1]");
            data.Add(url, """{"text": "a", "texts": ["b"]}""", "text");
            data.Add(url, """{"text": "a", "text": "b"}""", "text");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Predict_InvalidBody_Returns400NamingTheField(string url, string body, string field)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Problem();
        Assert.NotEmpty(problem.ErrorsFor(field));
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_UnknownField_Returns400NamingTheField(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, """{"text": "good", "colour": "red"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Problem();
        Assert.StartsWith("Unknown field", Assert.Single(problem.ErrorsFor("colour")));
        Assert.False(problem.GetProperty("errors").TryGetProperty("text", out _), "a valid text beside an unknown field is not blamed");
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_MisspeltField_Returns400NamingItAndTheMissingField(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, """{"txt": "typo"}""");

        var problem = await response.Problem();
        Assert.StartsWith("Unknown field", Assert.Single(problem.ErrorsFor("txt")));
        Assert.Contains("\"text\"", Assert.Single(problem.ErrorsFor("text")));
    }

    [Theory]
    [InlineData("/classify", """{"texts": ["a", 5]}""", "texts[1]", "Expected a string; found a number.")]
    [InlineData("/ner", """{"texts": ["a", "b", {"x": 1}]}""", "texts[2]", "Expected a string; found an object.")]
    [InlineData("/classify", """{"text": ["a"]}""", "text", "Expected a string; found an array.")]
    [InlineData("/ner", """{"text": true}""", "text", "Expected a string; found a boolean.")]
    [InlineData("/classify", """{"texts": "a"}""", "texts", "Expected an array of strings; found a string.")]
    public async Task Predict_WrongType_Returns400SayingExpectedAndFound(string url, string body, string field, string message)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, Assert.Single((await response.Problem()).ErrorsFor(field)));
    }

    [Theory]
    [InlineData("/classify", """{"text": "unterminated""", "text")]
    [InlineData("/ner", """{"texts": ["a",, "b"]}""", "texts")]
    [InlineData("/classify", """{"text": "a" "texts": []}""", "body")]
    public async Task Predict_MalformedJson_Returns400WithLineAndByte(string url, string body, string field)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, body);

        var problem = await response.Problem();
        Assert.Equal("The body is not valid JSON here.", Assert.Single(problem.ErrorsFor(field)));
        Assert.Matches(@"^Error at '.+' \(line 1, byte \d+\)\.$", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/classify", """{"text": "bad \ud800 surrogate"}""", "text")]
    [InlineData("/ner", """{"texts": ["fine", "\udc00"]}""", "texts[1]")]
    public async Task Predict_LoneSurrogate_Returns400SayingNotUnicode(string url, string body, string field)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid Unicode", Assert.Single((await response.Problem()).ErrorsFor(field)));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_EmptyBody_Returns400NamingTheBody(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsync(url, new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.Problem()).ErrorsFor("body"));
    }

    [Theory]
    [InlineData("/classify")]
    [InlineData("/ner")]
    public async Task Predict_InvalidBody_IsNotLoggedAsAnError(string url)
    {
        var client = await factory.StartAsync();

        var response = await client.PostJsonText(url, """{"texts": ["a", 5]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(factory.Logs.Events, e => e.Exception is Microsoft.AspNetCore.Http.BadHttpRequestException);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public async Task Classify_ExplainFlag_AcceptsTrueFalseOneAndZero(string value, bool explained)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync($"/classify?explain={value}", new { text = "good" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(explained, (await response.Json()).GetProperty("results")[0].TryGetProperty("explanation", out _));
    }

    [Fact]
    public async Task Classify_ExplainNotABoolean_Returns400NamingExplain()
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsJsonAsync("/classify?explain=maybe", new { text = "good" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Expected true, false, 1 or 0; found \"maybe\".", Assert.Single((await response.Problem()).ErrorsFor("explain")));
    }

    [Theory]
    [InlineData("/classify", "text/plain")]
    [InlineData("/ner", "text/plain")]
    [InlineData("/classify", "application/x-www-form-urlencoded")]
    [InlineData("/ner", "application/xml")]
    public async Task Predict_WrongContentType_Returns415Problem(string url, string mediaType)
    {
        var client = await factory.StartAsync();

        var response = await client.PostAsync(url, new StringContent("""{"text": "good"}""", Encoding.UTF8, mediaType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.Problem()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "/nothing-here")]
    [InlineData("POST", "/classify/extra")]
    [InlineData("GET", "/swagger/v2/swagger.json")]
    public async Task UnknownRoute_Returns404Problem(string method, string url)
    {
        var client = await factory.StartAsync();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await response.Problem();
    }

    [Fact]
    public async Task Classify_WrongMethod_Returns405Problem()
    {
        var client = await factory.StartAsync();

        var response = await client.GetAsync("/classify");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await response.Problem();
    }
}

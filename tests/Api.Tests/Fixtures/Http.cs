using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ServeNet.Api.Tests.Fixtures;

public static class Http
{
    /// <summary>POSTs raw text as application/json (for bodies a serializer would not produce).</summary>
    public static Task<HttpResponseMessage> PostJsonText(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The problem details body, after checking its media type.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Json();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _), "problem details have a title");
        return problem;
    }

    /// <summary>The messages problem details give for a field, or fails the test naming the fields it has.</summary>
    public static string[] ErrorsFor(this JsonElement problem, string field)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors), $"problem details have errors: {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors name '{field}': {errors}");
        return [.. messages.EnumerateArray().Select(m => m.GetString()!)];
    }

    public static MediaTypeHeaderValue JsonMediaType => new("application/json");
}

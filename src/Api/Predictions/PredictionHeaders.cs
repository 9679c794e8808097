using Microsoft.Net.Http.Headers;

namespace ServeNet.Api.Predictions;

/// <summary>
/// Headers of every answer of a prediction endpoint, problem details included: the body is JSON and
/// must never be sniffed as anything else (it echoes submitted text), and it is about one client's
/// text, so no cache or proxy may keep it.
/// </summary>
public static class PredictionHeaders
{
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.CacheControl] = "no-store";
    }
}

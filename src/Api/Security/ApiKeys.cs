using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ServeNet.Api.Errors;

namespace ServeNet.Api.Security;

/// <summary>Marks an endpoint that needs an API key when ServeNet:Security:ApiKeys has any (the predictions).</summary>
public sealed class ApiKeyRequired
{
    public static readonly ApiKeyRequired Instance = new();
}

/// <summary>
/// API keys for the prediction endpoints. A request presents one in X-Api-Key or as Authorization: Bearer; it is
/// compared with every configured key in constant time (SHA-256 of both, then CryptographicOperations.FixedTimeEquals,
/// always against all keys), so neither a key's content nor its length nor which key matched shows in the timing.
/// Without a valid key: 401 problem details (under /v2: {"error": ...}) with WWW-Authenticate, before the body is read.
/// The middleware is only in the pipeline when keys are configured.
/// </summary>
public static class ApiKeys
{
    public const string Header = "X-Api-Key";

    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ApiKeyRequired.Instance);

    /// <summary>After routing (it reads the endpoint's metadata), before anything reads the body.</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app)
    {
        var keys = app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value.ApiKeys;
        if (keys.Length == 0) return app;
        byte[][] hashes = [.. keys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyRequired>() is null || Accepts(hashes, Presented(context.Request)))
            {
                await next(context);
                return;
            }
            context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Bearer realm=\"ServeNet\", {Header}";
            await Problems.ApiKeyRequired().ExecuteAsync(context);
        });
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[Header] is [{ Length: > 0 } key]) return key;
        string? authorization = request.Headers.Authorization;
        return authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    /// <summary>Whether <paramref name="presented"/> is one of the keys whose SHA-256 hashes are given; constant time in the keys.</summary>
    public static bool Accepts(byte[][] hashes, string? presented)
    {
        if (presented is null) return false;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        bool accepted = false;
        foreach (var key in hashes) accepted |= CryptographicOperations.FixedTimeEquals(hash, key);
        return accepted;
    }
}

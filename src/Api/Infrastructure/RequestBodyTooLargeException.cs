namespace ServeNet.Api.Infrastructure;

/// <summary>
/// A request body longer than the limit. Deliberately not an IOException: minimal APIs swallow
/// IOExceptions while reading a body, and this one must reach the exception handler as a 413.
/// </summary>
public sealed class RequestBodyTooLargeException(long limit)
    : Exception($"The request body is larger than the limit of {limit:N0} bytes.")
{
    public long Limit { get; } = limit;
}

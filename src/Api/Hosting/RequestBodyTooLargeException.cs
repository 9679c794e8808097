using ServeNet.Api.Errors;

namespace ServeNet.Api.Hosting;

/// <summary>
/// A request body longer than the limit, answered with <see cref="Problems.BodyTooLarge"/>. Deliberately
/// not an IOException: minimal APIs swallow IOExceptions while reading a body, and this one must reach
/// the exception handler as a 413.
/// </summary>
public sealed class RequestBodyTooLargeException(long limit) : Exception(Problems.BodyTooLargeDetail(limit))
{
    public long Limit { get; } = limit;
}

using Microsoft.AspNetCore.Connections;

namespace ServeNet.Api.Hosting;

/// <summary>
/// A request whose client is gone: its connection closed or was aborted (by the client, or by
/// Kestrel at the end of the shutdown timeout), or its body ended before its Content-Length. Nobody
/// can read an answer, so it is answered 499 (client closed request) with nothing written, and the
/// request log says so in one line — never a 400 or a 500 with a stack trace.
/// </summary>
public static class ClientGone
{
    private static readonly object BodyCutShortKey = new();

    /// <summary>
    /// Records that the body ended before its declared length: Kestrel reports that as a 400
    /// BadHttpRequestException (an IOException, which minimal APIs turn into a bare 400), and the
    /// connection's RequestAborted may not be signalled yet when the status is chosen.
    /// </summary>
    public static void MarkBodyCutShort(HttpContext context) => context.Items[BodyCutShortKey] = true;

    public static bool Is(HttpContext context, Exception? exception = null) =>
        context.RequestAborted.IsCancellationRequested || context.Items.ContainsKey(BodyCutShortKey) || IsConnectionAborted(exception);

    // Kestrel aborting a connection surfaces as ConnectionAbortedException, often inside a TaskCanceledException.
    private static bool IsConnectionAborted(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is ConnectionAbortedException) return true;
        return false;
    }
}

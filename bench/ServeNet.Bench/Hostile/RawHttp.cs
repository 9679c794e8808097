using System.Net.Sockets;
using System.Text;

namespace ServeNet.Bench.Hostile;

/// <summary>HTTP/1.1 at the socket: requests HttpClient will not send (malformed, slow, abandoned).</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> as is and reads the answer's status line and headers.</summary>
    /// <returns>The status ("414"), its media type ("application/problem+json", or "" when the answer has no body type), or "none".</returns>
    public static async Task<(string Status, string MediaType)> SendAsync(Uri server, byte[] request, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, limit.Token);
            await socket.SendAsync(request, limit.Token);
            var head = await ReadHeadAsync(socket, limit.Token);
            return Parse(head);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return ("none", "");
        }
    }

    internal static async Task<string> ReadHeadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (!received.ToString().Contains("\r\n\r\n"))
        {
            int read = await socket.ReceiveAsync(buffer, cancellationToken);
            if (read == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString();
    }

    internal static (string Status, string MediaType) Parse(string head)
    {
        if (!head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal)) return ("none", "");
        string status = head.Substring(9, 3);
        string media = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)) is { } line
            ? line["Content-Type:".Length..].Split(';')[0].Trim() : "";
        return (status, media);
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections that each POST a JSON body of <paramref name="bodyBytes"/>
    /// bytes at <paramref name="bytesPerSecond"/>, until <paramref name="stopAfter"/>; then either closes them
    /// (abandon: true) or waits up to <paramref name="patience"/> for each answer.
    /// </summary>
    /// <returns>Per connection: "refused" (not connected), "none" (no answer), or the status it got.</returns>
    public static async Task<string[]> SlowUploadsAsync(Uri server, int count, int bodyBytes, int bytesPerSecond, TimeSpan stopAfter,
        bool abandon, TimeSpan patience)
    {
        byte[] body = Encoding.ASCII.GetBytes("{\"text\": \"" + new string('a', bodyBytes - 13) + "\"}");
        byte[] head = Encoding.ASCII.GetBytes($"POST /classify HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        var sockets = new Socket?[count];
        var outcomes = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(server.Host, server.Port, connect.Token);
                await socket.SendAsync(head);
                sockets[i] = socket;
                outcomes[i] = "none";
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                outcomes[i] = "refused";
            }
        });

        // Every 100 ms each connection sends a tenth of its second's bytes.
        int step = Math.Max(1, bytesPerSecond / 10);
        var sent = new int[count];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < stopAfter)
        {
            for (int i = 0; i < count; i++)
            {
                if (sockets[i] is not { } socket || sent[i] >= body.Length) continue;
                try
                {
                    int n = Math.Min(step, body.Length - sent[i]);
                    socket.Send(body, sent[i], n, SocketFlags.None);
                    sent[i] += n;
                }
                catch (SocketException)
                {
                    // The server closed it (a connection over the cap, or its answer came): read it below.
                }
            }
            await Task.Delay(100);
        }

        if (abandon)
        {
            foreach (var socket in sockets) socket?.Dispose();
            return outcomes;
        }
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            if (sockets[i] is not { } socket) return;
            using var limit = new CancellationTokenSource(patience);
            try
            {
                var (status, _) = Parse(await ReadHeadAsync(socket, limit.Token));
                outcomes[i] = status;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                outcomes[i] = "none";
            }
            finally
            {
                socket.Dispose();
            }
        });
        return outcomes;
    }
}

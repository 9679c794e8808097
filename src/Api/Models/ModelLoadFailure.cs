namespace ServeNet.Api.Models;

/// <summary>Why the last attempt to load a checkpoint failed; shown by GET /models and in 503 answers.</summary>
/// <param name="File">The checkpoint's file name (never its path: the server's folders are not the clients' business).</param>
/// <param name="Reason">What was wrong: for a bad file the field, what was expected and what was found.</param>
/// <param name="At">When the attempt failed.</param>
public sealed record ModelLoadFailure(string File, string Reason, DateTimeOffset At);

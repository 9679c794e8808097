using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ServeNet.Api.Tests.Fixtures;

/// <summary>A Serilog sink the test host adds as a service (the API reads sinks from DI).</summary>
public sealed class LogCollector : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public IEnumerable<string> Messages => Events.Select(e => e.RenderMessage());
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ticketing.Tests.Integration.Payments;

/// <summary>ILogger that keeps everything it was given: formatted message, structured values and exception text.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => _entries.ToArray();

    public string AllText => string.Join("\n", _entries);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull
    {
        _entries.Enqueue("scope: " + state);
        return null;
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> kvs
            ? string.Join(", ", kvs.Select(kv => kv.Key + "=" + kv.Value))
            : "";
        _entries.Enqueue($"{logLevel}: {formatter(state, exception)} [{values}] {exception}");
    }
}

using Microsoft.Extensions.Logging;

namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// Appends every Error and Critical entry of the test apps (with its exception) to one file, so that a 500 seen by a test
/// on a CI machine can be explained afterwards: .ci/test.sh prints the unhandled exceptions from it when a test failed.
/// The file is <c>TICKETING_TEST_ERROR_LOG</c>, or ticketing-test-errors.log in the temp folder.
/// </summary>
public sealed class ServerErrorLog(string appName) : ILoggerProvider
{
    private static readonly object Gate = new();

    public static string Path { get; } = Environment.GetEnvironmentVariable("TICKETING_TEST_ERROR_LOG") is { Length: > 0 } path
        ? path : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ticketing-test-errors.log");

    public ILogger CreateLogger(string categoryName) => new Logger(appName, categoryName);

    public void Dispose() { }

    private sealed class Logger(string appName, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var entry = $"{DateTime.UtcNow:O} {logLevel} [{appName}] {category}: {formatter(state, exception)}{Environment.NewLine}"
                + (exception is null ? "" : exception + Environment.NewLine);
            try
            {
                lock (Gate) File.AppendAllText(Path, entry);
            }
            catch (IOException)
            {
                // Diagnostics only: a test never fails because its error log could not be written.
            }
        }
    }
}

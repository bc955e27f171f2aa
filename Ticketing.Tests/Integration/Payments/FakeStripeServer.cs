using Ticketing.Tests.Infrastructure;
using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;

namespace Ticketing.Tests.Integration.Payments;

/// <summary>A request the fake Stripe API received.</summary>
public sealed record RecordedStripeRequest(
    string Method,
    string Path,
    NameValueCollection Query,
    string? Authorization,
    string? IdempotencyKey,
    string RawBody,
    NameValueCollection Form);

/// <summary>A canned answer: HTTP status + a file from StripeRecordings/ (with {{order_id}} substituted).</summary>
public sealed record StripeRecordedAnswer(int Status, string RecordingFile, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Real HTTP server on 127.0.0.1 (free port) that replays recorded Stripe API answers and records every request.
/// Unrouted requests get a Stripe-style 404 invalid_request_error.
/// </summary>
public sealed class FakeStripeServer : IDisposable
{
    private HttpListener _listener = new();
    private readonly ConcurrentQueue<RecordedStripeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StripeRecordedAnswer>> _routes = new();
    private readonly ConcurrentQueue<Func<RecordedStripeRequest, (int Status, string Json)?>> _handlers = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;
    private int _requestCounter;

    public FakeStripeServer()
    {
        // HttpListener cannot bind port 0: probe a free port and retry on the (unlikely) race.
        for (var attempt = 0; ; attempt++)
        {
            var port = TestPorts.Free();
            if (attempt > 0) _listener = new HttpListener(); // a listener that failed to start cannot be reused
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                BaseUrl = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Value substituted for {{order_id}} in recordings.</summary>
    public string OrderId { get; set; } = Guid.Empty.ToString("D");

    public IReadOnlyList<RecordedStripeRequest> Requests => _requests.ToArray();

    public static string RecordingsDirectory =>
        Path.Combine(AppContext.BaseDirectory, "Integration", "Payments", "StripeRecordings");

    /// <summary>Queues answers for "METHOD /path"; the last one repeats once the queue is down to it.</summary>
    public FakeStripeServer On(string method, string path, params StripeRecordedAnswer[] answers)
    {
        var queue = _routes.GetOrAdd(method.ToUpperInvariant() + " " + path, _ => new ConcurrentQueue<StripeRecordedAnswer>());
        foreach (var a in answers)
        {
            queue.Enqueue(a);
        }

        return this;
    }


    /// <summary>A stateful handler (e.g. <see cref="FakeStripeCheckout"/>): asked first; null lets the recorded routes answer.</summary>
    public FakeStripeServer Handle(Func<RecordedStripeRequest, (int Status, string Json)?> handler)
    {
        _handlers.Enqueue(handler);
        return this;
    }

    private async Task LoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_cts.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        string body;
        using (var reader = new StreamReader(req.InputStream, req.ContentEncoding ?? Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        var path = req.Url!.AbsolutePath;
        var recorded = new RecordedStripeRequest(
            req.HttpMethod,
            path,
            HttpUtility.ParseQueryString(req.Url.Query),
            req.Headers["Authorization"],
            req.Headers["Idempotency-Key"],
            body,
            HttpUtility.ParseQueryString(body));
        _requests.Enqueue(recorded);

        var res = ctx.Response;
        var requestId = "req_" + Interlocked.Increment(ref _requestCounter).ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + "FakeStripe";
        res.Headers["Request-Id"] = requestId;
        res.Headers["Stripe-Version"] = "2025-09-30.clover";
        if (req.Headers["Idempotency-Key"] is { } key)
        {
            res.Headers["Idempotency-Key"] = key;
        }

        res.ContentType = "application/json";
        string json;
        var handled = _handlers.Select(h => h(recorded)).FirstOrDefault(a => a is not null);
        if (handled is { } dynamic)
        {
            res.StatusCode = dynamic.Status;
            json = dynamic.Json;
        }
        else if (_routes.TryGetValue(req.HttpMethod + " " + path, out var queue) && TryNext(queue, out var answer))
        {
            res.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                res.Headers[name] = value;
            }

            json = File.ReadAllText(Path.Combine(RecordingsDirectory, answer.RecordingFile)).Replace("{{order_id}}", OrderId, StringComparison.Ordinal);
        }
        else
        {
            res.StatusCode = 404;
            json = "{\"error\":{\"message\":\"Unrecognized request URL (" + req.HttpMethod + ": " + path + ").\",\"type\":\"invalid_request_error\"}}";
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        res.ContentLength64 = bytes.Length;
        await res.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        res.Close();
    }

    private static bool TryNext(ConcurrentQueue<StripeRecordedAnswer> queue, out StripeRecordedAnswer answer)
    {
        lock (queue)
        {
            if (queue.Count > 1)
            {
                return queue.TryDequeue(out answer!);
            }

            return queue.TryPeek(out answer!);
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        // Close only: on Linux the managed HttpListener's Stop() already unbinds the endpoint, and a Close() after it
        // re-binds the port just to unbind it again, which throws "Address already in use" when another test has
        // taken the port in between (seen once in CI).
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _cts.Dispose();
    }
}

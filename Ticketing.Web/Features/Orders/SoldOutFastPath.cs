using System.Buffers;
using System.IO.Pipelines;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Ticketing.Core;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Web.Features.Auth;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Orders;

/// <summary>
/// The <c>409 sold_out</c> problem details of <c>POST /api/orders</c> given from memory, written straight to the response:
/// the fields of <see cref="SoldOutProblem"/> (the one sold-out answer, also what the services throw) laid out as the
/// exception handler lays out any problem (type, title, status, detail, instance, code, available, traceId).
/// Counted by the <c>ticketing.orders.sold_out_answers</c> instrument of the <c>Ticketing.Orders</c> meter, tagged with the
/// stage that answered (<c>before_authentication</c> or <c>endpoint</c>): <c>dotnet-counters monitor -n Ticketing.Web
/// --counters Ticketing.Orders</c> shows how many losers an on-sale had.
/// </summary>
public sealed class SoldOutAnswer
{
    public const string MeterName = "Ticketing.Orders";
    public const string InstrumentName = "ticketing.orders.sold_out_answers";
    public const string BeforeAuthentication = "before_authentication";
    public const string AtEndpointStage = "endpoint";

    /// <summary>What <c>ProblemDetailsDefaults</c> gives a 409.</summary>
    private const string Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10";

    private readonly IStringLocalizer<SharedResource> _localizer;
    private readonly Counter<long> _answers;

    public SoldOutAnswer(IStringLocalizer<SharedResource> localizer, IMeterFactory meters)
    {
        _localizer = localizer;
        _answers = meters.Create(MeterName).CreateCounter<long>(InstrumentName, "{answer}", "Sold-out answers given from memory");
        AtEndpoint = new EndpointResult(this);
    }

    /// <summary>The answer as the endpoint's result.</summary>
    public IResult AtEndpoint { get; }

    public Task WriteAsync(HttpContext http, string stage)
    {
        _answers.Add(1, new KeyValuePair<string, object?>("stage", stage));
        var message = SoldOutProblem.Message(_localizer);
        var buffer = new ArrayBufferWriter<byte>(320);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("title", message);
            json.WriteNumber("status", StatusCodes.Status409Conflict);
            json.WriteString("detail", message);
            json.WriteString("instance", http.Request.Path.Value);
            json.WriteString("code", SoldOutProblem.Code);
            json.WriteNumber(SoldOutProblem.AvailableKey, SoldOutProblem.Available);
            json.WriteString("traceId", DomainExceptionHandler.TraceIdOf(http));
            json.WriteEndObject();
        }
        var response = http.Response;
        response.StatusCode = StatusCodes.Status409Conflict;
        response.ContentType = "application/problem+json";
        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).AsTask();
    }

    private sealed class EndpointResult(SoldOutAnswer answer) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => answer.WriteAsync(httpContext, AtEndpointStage);
    }
}

/// <summary>
/// The losers of an on-sale, answered before authentication, model binding and the endpoint (the HTTP pipeline is most
/// of what a sold-out answer costs). It answers only when it can prove the endpoint would give the same answer:
/// a bearer token this instance has already validated and that has not expired (<see cref="ValidatedTokenCache"/>,
/// so an unknown, forged or expired token still gets its 401 from the normal path) and whose session is known current
/// (<see cref="Ticketing.Core.Accounts.AccountStampCache"/>, from memory: a revoked session gets its 401 from the normal path),
/// a small JSON body (at most 4 KiB) that binds like the endpoint's and that <see cref="SoldOutCache.IsKnownSoldOut"/>
/// answers, and, with an <c>Idempotency-Key</c>, a key that has no earlier answer to replay
/// (<see cref="Idempotency.NothingToReplayAsync"/>: one indexed read). Anything else goes on untouched (the body only
/// peeked at). Only endpoints carrying <see cref="Metadata"/> are concerned.
/// </summary>
public sealed class SoldOutFastPath(
    RequestDelegate next, ValidatedTokenCache tokens, Ticketing.Core.Accounts.AccountStampCache stamps, SoldOutCache soldOut,
    SoldOutAnswer answer, IdempotencyStore keys, IOptions<JsonOptions> json)
{
    public sealed class Marker;

    /// <summary>Put on <c>POST /api/orders</c>.</summary>
    public static readonly Marker Metadata = new();

    private const int MaxBodyBytes = 4096;
    private const string Bearer = "Bearer ";
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private readonly JsonReaderOptions _reader = new()
    {
        AllowTrailingCommas = json.Value.SerializerOptions.AllowTrailingCommas,
        CommentHandling = json.Value.SerializerOptions.ReadCommentHandling,
        MaxDepth = json.Value.SerializerOptions.MaxDepth,
    };

    public Task InvokeAsync(HttpContext http)
    {
        if (soldOut.IsEmpty || http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null) return next(http);
        var request = http.Request;
        if (request.ContentLength is 0 or > MaxBodyBytes || !request.HasJsonContentType()) return next(http);
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            || !tokens.TryGet(authorization[Bearer.Length..].Trim(), out var token) || !token.IsSessionCurrent(stamps)) return next(http);
        return AnswerOrGoOnAsync(http, token.UserId);
    }

    private async Task AnswerOrGoOnAsync(HttpContext http, Guid userId)
    {
        // The body is peeked at, not consumed: when the answer is not ours, the endpoint reads it from the start.
        var body = http.Request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await body.ReadAsync(http.RequestAborted);
                if (read.IsCompleted || read.Buffer.Length > MaxBodyBytes) break;
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            await next(http); // cut short or malformed: the normal path gives its usual answer
            return;
        }
        var buffer = read.Buffer;
        if (buffer.Length <= MaxBodyBytes && IsKnownSoldOut(buffer)
            && await Idempotency.NothingToReplayAsync(http.Request, userId, OrdersEndpoints.PlaceScope, keys, http.RequestAborted))
        {
            body.AdvanceTo(buffer.End);
            await answer.WriteAsync(http, SoldOutAnswer.BeforeAuthentication);
            return;
        }
        body.AdvanceTo(buffer.Start, buffer.End);
        await next(http);
    }

    /// <summary>Binds like the endpoint (the app's JSON options, one value and nothing after it), then asks the memory.</summary>
    private bool IsKnownSoldOut(ReadOnlySequence<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, _reader);
            var request = JsonSerializer.Deserialize<PlaceOrderRequest>(ref reader, _json);
            return !reader.Read() && soldOut.IsKnownSoldOut(request);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

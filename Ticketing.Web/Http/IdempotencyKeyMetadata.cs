namespace Ticketing.Web.Http;

/// <summary>Endpoint metadata: the endpoint honours an <c>Idempotency-Key</c> header (<see cref="EndpointConventions.AcceptsIdempotencyKey{TBuilder}"/>).</summary>
public sealed record IdempotencyKeyMetadata;

namespace Ticketing.Web.Http;

/// <summary>Endpoint metadata: the business error codes an endpoint may answer (see <see cref="EndpointConventions.ProducesProblemCodes{TBuilder}"/>).</summary>
public sealed record ProblemCodesMetadata(IReadOnlyList<string> Codes);

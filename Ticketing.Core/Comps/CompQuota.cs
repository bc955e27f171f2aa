namespace Ticketing.Core.Comps;

/// <summary>
/// How many complimentary tickets the organizer may issue in one price category of a performance. <see cref="Issued"/>
/// only grows through one conditional update (<c>Issued + n &lt;= Quota</c>); the comps also take seats from the
/// category's capacity like a sale.
/// </summary>
public sealed class CompQuota
{
    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid CategoryId { get; set; }
    public int Quota { get; set; }
    public int Issued { get; set; }
}

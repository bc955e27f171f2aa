using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Door;

/// <summary>
/// What a door device needs to work with no network (<see cref="GetBundleAsync"/>), and the reconciliation of the scans it
/// made meanwhile (<see cref="SyncAsync"/>): each offline admission is one conditional UPDATE <c>Valid -> Used</c>, so
/// of two devices that admitted one ticket offline, the first to sync wins and the other's scan is a reported conflict.
/// </summary>
public sealed class OfflineDoorService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    TicketCodeSigner signer,
    TimeProvider clock,
    ILogger<OfflineDoorService> logger)
{
    public const int MaxScansPerSync = 500;

    public async Task<DoorBundleDto> GetBundleAsync(DoorDeviceCaller device, CancellationToken ct = default)
    {
        await signer.InitializeAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var row = await db.DoorDevices.AsNoTracking().Where(d => d.Id == device.DeviceId)
            .Join(db.Events, d => d.EventId, e => e.Id, (d, e) => new { d.Name, d.Gate, e.Title }).FirstAsync(ct);
        var performances = (await db.Performances.AsNoTracking().Where(p => p.EventId == device.EventId).OrderBy(p => p.StartsAt)
                .Select(p => new DoorBundlePerformance(p.Id, p.StartsAt, p.VenueName, p.City)).ToListAsync(ct))
            .Where(p => device.Covers(p.Id)).ToList();
        var ids = performances.Select(p => p.Id).ToList();
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.EventId == device.EventId && ids.Contains(t.PerformanceId))
            .OrderBy(t => t.Number)
            .Select(t => new { t.Id, t.Number, t.PerformanceId, t.CategoryName, t.Status }).ToListAsync(ct);
        return new DoorBundleDto(device.DeviceId, row.Name, row.Gate, device.EventId, row.Title,
            System.Buffers.Text.Base64Url.EncodeToString(signer.PublicKey), now, performances,
            tickets.Select(t => new DoorBundleTicket(t.Id, t.Number, t.PerformanceId, t.CategoryName, t.Status.ToString())).ToList());
    }

    public async Task<DoorSyncResult> SyncAsync(DoorDeviceCaller device, IReadOnlyList<OfflineScan> scans, CancellationToken ct = default)
    {
        if (scans.Count > MaxScansPerSync) throw new DomainException(ErrorCodes.Validation, $"At most {MaxScansPerSync} scans per sync.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var results = new List<OfflineScanResult>(scans.Count);
        foreach (var scan in scans.DistinctBy(s => s.TicketId))
        {
            var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == scan.TicketId && t.EventId == device.EventId)
                .Select(t => new { t.PerformanceId }).FirstOrDefaultAsync(ct);
            if (ticket is null || !device.Covers(ticket.PerformanceId))
            {
                results.Add(new(scan.TicketId, OfflineScanOutcome.Invalid));
                continue;
            }
            // When the holder came in, as the device saw it; never in the future.
            var at = scan.ScannedAt is { } s && s <= now ? s : now;
            var admitted = await db.Tickets.Where(t => t.Id == scan.TicketId && t.Status == TicketStatus.Valid)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TicketStatus.Used).SetProperty(t => t.UsedAt, at).SetProperty(t => t.AdmissionRecordedAt, now)
                    .SetProperty(t => t.AdmittedByDeviceId, device.DeviceId), ct) == 1;
            if (admitted)
            {
                results.Add(new(scan.TicketId, OfflineScanOutcome.Admitted));
                continue;
            }
            var state = await db.Tickets.AsNoTracking().Where(t => t.Id == scan.TicketId)
                .Select(t => new { t.Status, t.AdmittedByDeviceId }).FirstAsync(ct);
            results.Add(new(scan.TicketId, state.Status == TicketStatus.Voided ? OfflineScanOutcome.Voided
                : state.AdmittedByDeviceId == device.DeviceId ? OfflineScanOutcome.Duplicate
                : scan.Offline ? OfflineScanOutcome.Conflict : OfflineScanOutcome.AlreadyUsed));
        }
        var conflicts = results.Count(r => r.Result == OfflineScanOutcome.Conflict);
        await db.DoorDevices.Where(d => d.Id == device.DeviceId)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.ConflictCount, d => d.ConflictCount + conflicts).SetProperty(d => d.LastSyncAt, now), ct);
        var admittedCount = results.Count(r => r.Result == OfflineScanOutcome.Admitted);
        if (conflicts > 0)
            logger.LogWarning("Door device {DeviceId} synced {Conflicts} offline admissions of tickets another scanner had admitted", device.DeviceId, conflicts);
        logger.LogInformation("Door device {DeviceId} synced {Scans} offline scans, {Admitted} admitted", device.DeviceId, results.Count, admittedCount);
        return new DoorSyncResult(admittedCount, conflicts, results);
    }
}

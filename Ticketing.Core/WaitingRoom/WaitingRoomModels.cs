namespace Ticketing.Core.WaitingRoom;

public enum QueueStatus { Waiting, Admitted, Expired }

/// <summary>
/// <c>POST /api/performances/{id}/queue</c> and <c>GET /api/queue/{entryId}</c>. Position and ahead are null before the
/// opening (the pre-queue's places are drawn at the opening).
/// </summary>
public sealed record QueueEntryDto(
    Guid EntryId,
    Guid PerformanceId,
    Guid EventId,
    QueueStatus Status,
    int? Position,
    int? Ahead,
    int? EstimatedWaitSeconds,
    string? AdmissionToken,
    DateTimeOffset? AdmissionExpiresAt,
    DateTimeOffset OpensAt,
    bool PreQueue);

/// <summary><c>GET /api/performances/{id}/queue/fairness</c>: the seed only after the opening.</summary>
public sealed record QueueFairnessDto(Guid PerformanceId, string Commitment, string? Seed, DateTimeOffset OpensAt, int? PreQueueCount);

/// <summary>One place of the published order (<c>GET /api/performances/{id}/queue/fairness/order</c>).</summary>
public sealed record QueuePlaceDto(int Position, Guid EntryId, bool PreQueue);

/// <summary><c>PUT /api/performances/{id}/queue/settings</c>: opensAt defaults to the performance's salesOpenAt.</summary>
public sealed record QueueSettingsRequest(bool Enabled, int AdmitPerMinute, DateTimeOffset? OpensAt, bool Automatic = false);

/// <summary><c>Automatic</c>: the rate follows the purchases (AdmitPerMinute is the most); <c>CurrentAdmitPerMinute</c>: the rate now.</summary>
public sealed record QueueSettingsDto(Guid PerformanceId, bool Enabled, int AdmitPerMinute, DateTimeOffset OpensAt, string Commitment,
    int Waiting, int AdmittedCount, bool Automatic = false, int CurrentAdmitPerMinute = 0);

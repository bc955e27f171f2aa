namespace Ticketing.Core.Seating;

// ---- Input: POST /api/seating-plans (and the JSON import: the same shape as the export) ----

public sealed record SeatingPlanInput(string? Name, IReadOnlyList<SectionInput>? Sections, IReadOnlyList<StandingZoneInput>? StandingZones = null);

public sealed record SectionInput(string? Name, IReadOnlyList<RowInput>? Rows);

public sealed record RowInput(string? Label, IReadOnlyList<SeatInput>? Seats);

/// <summary>A seat: label, position (plan units, the stage at the top: y grows away from it), category name and flags.</summary>
public sealed record SeatInput(string? Label, double? X, double? Y, string? Category = null, bool? Accessible = null, bool? Companion = null,
    bool? Restricted = null, bool? Blocked = null);

public sealed record StandingZoneInput(string? Name, int? Capacity, string? Category = null);

// ---- Output: GET /api/seating-plans/{id} (the export) ----

public sealed record SeatingPlanCreated(Guid Id, int SeatCount);

public sealed record SeatingPlanDto(Guid Id, string Name, int SeatCount, DateTimeOffset CreatedAt, IReadOnlyList<SectionDto> Sections,
    IReadOnlyList<StandingZoneDto> StandingZones);

public sealed record SectionDto(string Name, IReadOnlyList<RowDto> Rows);

public sealed record RowDto(string Label, IReadOnlyList<SeatDto> Seats);

public sealed record SeatDto(Guid Id, string Label, double X, double Y, string? Category, bool Accessible, bool Companion, bool Restricted,
    bool Blocked);

public sealed record StandingZoneDto(Guid Id, string Name, int Capacity, string? Category);

/// <summary>A row of the organizer's list of plans.</summary>
public sealed record SeatingPlanSummary(Guid Id, string Name, int SeatCount, DateTimeOffset CreatedAt);

// ---- The generator: POST /api/seating-plans/generate ----

public enum SeatNumbering { LeftToRight, RightToLeft, OddEven }

public enum BlockShape { Straight, Curved }

/// <summary>
/// A block of <see cref="Rows"/> × <see cref="SeatsPerRow"/> seats of one section. Rows are lettered from
/// <see cref="FirstRow"/> (A, B, … Z, AA, AB…), the first one closest to the stage. Positions in plan units: the block's
/// first row is centred on (<see cref="X"/>, <see cref="Y"/>), seats <see cref="SeatSpacing"/> apart, rows
/// <see cref="RowSpacing"/> apart; a curved block bends each row on an arc around a stage point
/// <see cref="Radius"/> units in front of its first row.
/// </summary>
public sealed record SeatBlockInput(
    string? Section, int? Rows, int? SeatsPerRow, string? FirstRow = null, SeatNumbering? Numbering = null, int? FirstNumber = null,
    BlockShape? Shape = null, double? Radius = null, double? SeatSpacing = null, double? RowSpacing = null, double? X = null, double? Y = null,
    string? Category = null);

public sealed record GeneratePlanInput(string? Name, IReadOnlyList<SeatBlockInput>? Blocks, IReadOnlyList<StandingZoneInput>? StandingZones = null);

// ---- A performance's seats: GET /api/performances/{id}/seats ----

public sealed record PerformanceSeatDto(Guid Id, string Section, string Row, string Label, Guid? CategoryId, SeatStatus Status, double X, double Y,
    bool Accessible);

public sealed record PerformanceSeatsDto(Guid PerformanceId, IReadOnlyList<PerformanceSeatDto> Seats);

/// <summary>The seat a ticket or an order line stands for.</summary>
public sealed record SeatRefDto(Guid Id, string Section, string Row, string Label);

using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;

namespace Ticketing.Core.Seating;

/// <summary>
/// What makes a plan valid: a name, at least one seat or standing zone, at most <see cref="SeatingPlan.MaxSeats"/> seats,
/// every seat with a label unique in its row (section, row, label), labels and names short texts, finite positions.
/// The plan-level refusals have their own codes (<c>seating_plan_empty</c>, <c>seating_plan_too_large</c>,
/// <c>seat_label_duplicate</c>); a bad field answers <c>validation_failed</c> with its path.
/// </summary>
public static class SeatingRules
{
    public const int MaxNameLength = 100;
    public const int MaxLabelLength = 20;
    public const int MaxStandingCapacity = 1_000_000;
    public const double MaxCoordinate = 1_000_000;

    /// <summary>Checks <paramref name="input"/> and answers the seats in plan order, or throws the first refusal.</summary>
    public static SeatingPlan Build(SeatingPlanInput? input, Guid ownerId, DateTimeOffset now, IStringLocalizer localizer)
    {
        if (input is null) throw new RequestValidationException(new Validator(localizer).Add("body", "Validation.Required").Errors);
        var seatCount = input.Sections?.Sum(s => s?.Rows?.Sum(r => r?.Seats?.Count ?? 0) ?? 0) ?? 0;
        if (seatCount > SeatingPlan.MaxSeats)
            throw new DomainException(ErrorCodes.SeatingPlanTooLarge, localizer["Error.seating_plan_too_large", SeatingPlan.MaxSeats],
                new Dictionary<string, object?> { ["maxSeats"] = SeatingPlan.MaxSeats, ["seatCount"] = seatCount });
        if (seatCount == 0 && (input.StandingZones is null || input.StandingZones.Count == 0))
            throw new DomainException(ErrorCodes.SeatingPlanEmpty, localizer["Error.seating_plan_empty"]);

        var v = new Validator(localizer);
        var plan = new SeatingPlan { Id = Guid.CreateVersion7(), OwnerId = ownerId, CreatedAt = now, SeatCount = seatCount };
        plan.Name = v.Text("name", input.Name, MaxNameLength, required: true) ?? "";
        var seen = new HashSet<(string, string, string)>();
        var sections = input.Sections ?? [];
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            if (section is null) { v.Add($"sections[{i}]", "Validation.Required"); continue; }
            var sectionName = v.Text($"sections[{i}].name", section.Name, MaxNameLength, required: true) ?? "";
            var rows = section.Rows ?? [];
            for (var j = 0; j < rows.Count; j++)
            {
                var row = rows[j];
                if (row is null) { v.Add($"sections[{i}].rows[{j}]", "Validation.Required"); continue; }
                var rowLabel = v.Text($"sections[{i}].rows[{j}].label", row.Label, MaxLabelLength, required: true) ?? "";
                var seats = row.Seats ?? [];
                for (var k = 0; k < seats.Count; k++)
                {
                    var s = seats[k];
                    var f = $"sections[{i}].rows[{j}].seats[{k}]";
                    if (s is null) { v.Add(f, "Validation.Required"); continue; }
                    var label = v.Text($"{f}.label", s.Label, MaxLabelLength, required: true) ?? "";
                    var category = v.Text($"{f}.category", s.Category, MaxNameLength);
                    if (s.X is not { } x || !double.IsFinite(x) || Math.Abs(x) > MaxCoordinate) v.Add($"{f}.x", "Validation.Required");
                    if (s.Y is not { } y || !double.IsFinite(y) || Math.Abs(y) > MaxCoordinate) v.Add($"{f}.y", "Validation.Required");
                    if (label.Length > 0 && !seen.Add((sectionName, rowLabel, label)))
                        throw new DomainException(ErrorCodes.SeatLabelDuplicate, localizer["Error.seat_label_duplicate", sectionName, rowLabel, label],
                            new Dictionary<string, object?> { ["section"] = sectionName, ["row"] = rowLabel, ["label"] = label, ["field"] = $"{f}.label" });
                    plan.Seats.Add(new SeatingPlanSeat
                    {
                        Id = Guid.CreateVersion7(), PlanId = plan.Id, Ordinal = plan.Seats.Count, Section = sectionName, Row = rowLabel, Label = label,
                        X = s.X ?? 0, Y = s.Y ?? 0, Category = category, Accessible = s.Accessible ?? false, Companion = s.Companion ?? false,
                        Restricted = s.Restricted ?? false, Blocked = s.Blocked ?? false,
                    });
                }
            }
        }
        var zones = input.StandingZones ?? [];
        if (zones.Count > SeatingPlan.MaxStandingZones) v.Add("standingZones", "Validation.TooMany", SeatingPlan.MaxStandingZones);
        for (var i = 0; i < zones.Count && i < SeatingPlan.MaxStandingZones; i++)
        {
            var z = zones[i];
            if (z is null) { v.Add($"standingZones[{i}]", "Validation.Required"); continue; }
            var name = v.Text($"standingZones[{i}].name", z.Name, MaxNameLength, required: true) ?? "";
            if (z.Capacity is not (>= 1 and <= MaxStandingCapacity)) v.Add($"standingZones[{i}].capacity", "Validation.Required");
            plan.StandingZones.Add(new StandingZone
            {
                Id = Guid.CreateVersion7(), PlanId = plan.Id, Ordinal = i, Name = name, Capacity = z.Capacity ?? 0,
                Category = v.Text($"standingZones[{i}].category", z.Category, MaxNameLength),
            });
        }
        v.ThrowIfInvalid();
        return plan;
    }
}

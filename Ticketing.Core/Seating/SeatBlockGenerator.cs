using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;

namespace Ticketing.Core.Seating;

/// <summary>
/// Draws blocks of rows × seats into a plan input (the shape of <c>POST /api/seating-plans</c>; nothing is stored).
/// Seen from the audience facing the stage (the stage at the top of the plan, x growing to the right):
/// <list type="bullet">
/// <item><b>LeftToRight</b>: <c>FirstNumber</c>, +1, … from the left;</item>
/// <item><b>RightToLeft</b>: the same from the right;</item>
/// <item><b>OddEven</b> (French halls): from the centre aisle outward, odd numbers on the left (1, 3, 5…) and even
/// numbers on the right (2, 4, 6…).</item>
/// </list>
/// Rows are lettered A, B, … Z, AA, AB… from <c>FirstRow</c>, the first closest to the stage.
/// </summary>
public static class SeatBlockGenerator
{
    public const int MaxRows = 500;
    public const int MaxSeatsPerRow = 1_000;
    public const double DefaultSeatSpacing = 10, DefaultRowSpacing = 12, DefaultRadius = 200;

    public static SeatingPlanInput Generate(GeneratePlanInput? input, IStringLocalizer localizer)
    {
        var v = new Validator(localizer);
        if (input is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        var blocks = input.Blocks ?? [];
        if (blocks.Count == 0 && (input.StandingZones is null || input.StandingZones.Count == 0))
            throw new DomainException(ErrorCodes.SeatingPlanEmpty, localizer["Error.seating_plan_empty"]);
        long total = blocks.Sum(b => (long)Math.Max(0, b?.Rows ?? 0) * Math.Max(0, b?.SeatsPerRow ?? 0));
        if (total > SeatingPlan.MaxSeats)
            throw new DomainException(ErrorCodes.SeatingPlanTooLarge, localizer["Error.seating_plan_too_large", SeatingPlan.MaxSeats],
                new Dictionary<string, object?> { ["maxSeats"] = SeatingPlan.MaxSeats, ["seatCount"] = total });
        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b is null) { v.Add($"blocks[{i}]", "Validation.Required"); continue; }
            v.Text($"blocks[{i}].section", b.Section, SeatingRules.MaxNameLength, required: true);
            if (b.Rows is not (>= 1 and <= MaxRows)) v.Add($"blocks[{i}].rows", "Validation.Required");
            if (b.SeatsPerRow is not (>= 1 and <= MaxSeatsPerRow)) v.Add($"blocks[{i}].seatsPerRow", "Validation.Required");
            if (b.FirstRow is { } first && RowIndex(first) is null) v.Add($"blocks[{i}].firstRow", "Validation.Required");
            if (b.FirstNumber is < 0 or > 100_000) v.Add($"blocks[{i}].firstNumber", "Validation.Required");
            foreach (var (name, value) in new[] { ("seatSpacing", b.SeatSpacing), ("rowSpacing", b.RowSpacing), ("radius", b.Radius) })
                if (value is { } d && (!double.IsFinite(d) || d <= 0 || d > 10_000)) v.Add($"blocks[{i}].{name}", "Validation.Required");
            foreach (var (name, value) in new[] { ("x", b.X), ("y", b.Y) })
                if (value is { } d && (!double.IsFinite(d) || Math.Abs(d) > SeatingRules.MaxCoordinate)) v.Add($"blocks[{i}].{name}", "Validation.Required");
        }
        v.ThrowIfInvalid();

        var sections = new List<(string Name, List<RowInput> Rows)>();
        foreach (var b in blocks)
        {
            var name = b!.Section!.Trim();
            var section = sections.FirstOrDefault(s => s.Name == name);
            if (section.Rows is null) sections.Add(section = (name, []));
            section.Rows.AddRange(Rows(b));
        }
        return new SeatingPlanInput(input.Name, sections.Select(s => new SectionInput(s.Name, s.Rows)).ToList(), input.StandingZones);
    }

    /// <summary>The rows of one block, in order from the stage.</summary>
    public static IEnumerable<RowInput> Rows(SeatBlockInput b)
    {
        var rows = b.Rows!.Value;
        var n = b.SeatsPerRow!.Value;
        var firstRow = RowIndex(b.FirstRow ?? "A") ?? 0;
        var seat = b.SeatSpacing ?? DefaultSeatSpacing;
        var rowGap = b.RowSpacing ?? DefaultRowSpacing;
        var radius = b.Radius ?? DefaultRadius;
        var (cx, cy) = (b.X ?? 0, b.Y ?? 0);
        for (var r = 0; r < rows; r++)
        {
            var seats = new List<SeatInput>(n);
            for (var p = 0; p < n; p++)
            {
                var offset = p - (n - 1) / 2.0;
                double x, y;
                if (b.Shape == BlockShape.Curved)
                {
                    var rho = radius + r * rowGap;
                    var angle = offset * seat / rho;
                    x = cx + rho * Math.Sin(angle);
                    y = cy - radius + rho * Math.Cos(angle);
                }
                else
                {
                    x = cx + offset * seat;
                    y = cy + r * rowGap;
                }
                seats.Add(new SeatInput(Number(b.Numbering ?? SeatNumbering.LeftToRight, p, n, b.FirstNumber ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Math.Round(x, 2), Math.Round(y, 2), b.Category));
            }
            yield return new RowInput(RowLabel(firstRow + r), seats);
        }
    }

    /// <summary>The number of the seat at position <paramref name="p"/> (0 = leftmost) of a row of <paramref name="n"/>.</summary>
    public static int Number(SeatNumbering numbering, int p, int n, int first) => numbering switch
    {
        SeatNumbering.RightToLeft => first + (n - 1 - p),
        // Left half (ceil(n/2) seats): 1 at the centre, 3, 5… outward; right half: 2 at the centre, 4, 6… outward.
        SeatNumbering.OddEven => p < (n + 1) / 2 ? 2 * ((n + 1) / 2 - 1 - p) + 1 : 2 * (p - (n + 1) / 2) + 2,
        _ => first + p,
    };

    /// <summary>0 -> A, 25 -> Z, 26 -> AA, 27 -> AB…</summary>
    public static string RowLabel(int index)
    {
        var label = "";
        for (var i = index; i >= 0; i = i / 26 - 1) label = (char)('A' + i % 26) + label;
        return label;
    }

    /// <summary>The inverse of <see cref="RowLabel"/> (null for anything but 1-3 letters).</summary>
    public static int? RowIndex(string label)
    {
        var s = label.Trim().ToUpperInvariant();
        if (s.Length is 0 or > 3 || !s.All(char.IsAsciiLetterUpper)) return null;
        var index = 0;
        foreach (var c in s) index = index * 26 + (c - 'A' + 1);
        return index - 1;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ticketing.Bench.FlashSale;

/// <summary>The one JSON line of a run (camelCase). Durations in ms, rates per second, memory in MiB.</summary>
public sealed class FlashSaleResult
{
    public string Db { get; set; } = "";
    public int Seats { get; set; }
    public int Buyers { get; set; }
    public string Model { get; set; } = "closed";
    /// <summary>An Idempotency-Key on every hold and payment (<c>--idempotency</c>).</summary>
    public bool Idempotency { get; set; }
    public int Concurrency { get; set; }
    public double? Rate { get; set; }
    public int Cores { get; set; }

    public int Attempts { get; set; }
    public int Holds { get; set; }
    public int Sold { get; set; }
    public int Duplicates { get; set; }
    public int Oversold { get; set; }
    public int Errors5xx { get; set; }
    public int TransportErrors { get; set; }
    public int PaymentFailures { get; set; }
    public int SoldOutAnswers { get; set; }
    /// <summary>Answers that are neither a sale nor sold_out, by "step:status:code".</summary>
    public SortedDictionary<string, int> OtherAnswers { get; set; } = [];

    /// <summary>Sold / time from the first attempt to the last successful payment.</summary>
    public double? PaidPerSecond { get; set; }
    public double? AttemptsPerSecond { get; set; }
    /// <summary>Hold + payment of each buyer who got a ticket (from its start, or its scheduled arrival in the open model).</summary>
    public LatencySummary? WinnerLatencyMs { get; set; }
    /// <summary>The 409 sold_out answers during the sale.</summary>
    public LatencySummary? SoldOutLatencyMs { get; set; }

    /// <summary>POST /api/orders once sold out, back to back with the same concurrency.</summary>
    public double? SoldOutRps { get; set; }
    public LatencySummary? SoldOutPhaseLatencyMs { get; set; }
    public int SoldOutPhaseUnexpected { get; set; }
    /// <summary>GET /api/ping with the same client and concurrency: the HTTP ceiling.</summary>
    public double? PingRps { get; set; }
    public LatencySummary? PingLatencyMs { get; set; }
    public SortedDictionary<string, double> Baselines { get; set; } = [];
    public SortedDictionary<string, double> Ratios { get; set; } = [];

    public double? AppPeakRssMb { get; set; }
    public double? AppRssMb { get; set; }
    /// <summary>CPU time the app used during the sale (all cores), in ms: divided by the attempts, the cost of one.</summary>
    public long? AppCpuMsSale { get; set; }
    /// <summary>CPU time the database cluster (PostgreSQL: postmaster and backends) used during the sale, in ms.</summary>
    public long? DbCpuMsSale { get; set; }
    /// <summary><see cref="DbCpuMsSale"/> per paid purchase (hold and payment, with everything they write), in microseconds.</summary>
    public double? DbCpuUsPerPurchase { get; set; }
    /// <summary>App CPU per request in the sold-out and ping phases, in microseconds.</summary>
    public double? AppCpuUsPerSoldOut { get; set; }
    public double? AppCpuUsPerPing { get; set; }
    /// <summary>From the start of the sale until every paid order's confirmation was sent (the outbox job), in ms.</summary>
    public double? AllConfirmationsSentMs { get; set; }
    public int? ConfirmationsUnsent { get; set; }
    public long SetupMs { get; set; }
    public long RegisterMs { get; set; }
    public double SaleMs { get; set; }
    public double? SellThroughMs { get; set; }
    public long TotalMs { get; set; }

    [JsonPropertyName("sql")]
    public Verification.DbFigures? Db_ { get; set; }
    public List<string> Violations { get; set; } = [];
    public List<string> Notes { get; set; } = [];
    public bool Ok => Violations.Count == 0;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Options);
}

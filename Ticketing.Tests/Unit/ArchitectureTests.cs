using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;
using Ticketing.Core.Inventory;

namespace Ticketing.Tests.Unit;

/// <summary>
/// The layout's rules, executable (docs/architecture.md, "Owners"): Core knows nothing of the web, and the seat counters
/// have one writer, <see cref="SeatInventory"/>.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly Assembly Core = typeof(SeatInventory).Assembly;

    /// <summary>
    /// The ASP.NET Core namespaces Core may use: ASP.NET Core Identity (the user store, password hashing, tokens: the
    /// accounts are domain data) and Data Protection (its keys are stored in our database and backed up with it). Nothing
    /// of HTTP, routing, MVC, Razor components, authentication handlers or hosting.
    /// </summary>
    private static readonly string[] AllowedAspNetCore = ["Microsoft.AspNetCore.Identity", "Microsoft.AspNetCore.DataProtection"];

    [Fact]
    public void Core_DoesNotDependOnTheWebProject()
    {
        var result = Types.InAssembly(Core).ShouldNot().HaveDependencyOn("Ticketing.Web").GetResult();
        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Fact]
    public void Core_DoesNotDependOnAspNetCore_ExceptIdentityAndDataProtection()
    {
        var forbidden = AspNetCoreNamespaces().Where(ns => !AllowedAspNetCore.Any(a => ns == a || ns.StartsWith(a + ".", StringComparison.Ordinal))).ToArray();
        Assert.Contains("Microsoft.AspNetCore.Http", forbidden);
        Assert.Contains("Microsoft.AspNetCore.Components", forbidden);

        var result = Types.InAssembly(Core).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, Describe(result));
        // Not a vacuous rule: the web project breaks it.
        Assert.False(Types.InAssembly(typeof(Ticketing.Web.Features.Orders.SoldOutFastPath).Assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult().IsSuccessful);
    }

    /// <summary>When work runs is the host's business: the Quartz jobs live in the web project (Core keeps the work itself).</summary>
    [Fact]
    public void Core_HasNoScheduledJobs()
    {
        var result = Types.InAssembly(Core).ShouldNot().ImplementInterface(typeof(Quartz.IJob)).GetResult();
        Assert.True(result.IsSuccessful, Describe(result));
        // Not a vacuous rule: the web project's jobs implement it.
        Assert.False(Types.InAssembly(typeof(Ticketing.Web.Features.Orders.SoldOutFastPath).Assembly).ShouldNot().ImplementInterface(typeof(Quartz.IJob)).GetResult().IsSuccessful);
    }

    [Fact]
    public void OnlyInventory_WritesSeatCounters_NoExecuteUpdateOrDeleteOnPriceCategoriesElsewhere()
    {
        var offenders = new List<string>();
        foreach (var (path, text) in SourceFiles())
        {
            foreach (Match m in PriceCategoriesChain().Matches(text))
            {
                if (ChainCalls(text, m.Index + m.Length) is { } call && call.StartsWith("Execute", StringComparison.Ordinal))
                    offenders.Add($"{path}:{LineOf(text, m.Index)} {call} on PriceCategories");
            }
            foreach (Match m in RawSqlOnCategories().Matches(text))
                offenders.Add($"{path}:{LineOf(text, m.Index)} raw SQL \"{m.Value}\"");
        }
        Assert.True(offenders.Count == 0, "Seat counters are changed only through Ticketing.Core/Inventory/SeatInventory:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void OnlyOrderTransitions_WritesAnOrdersStatus()
    {
        var owners = new[] { Path.Combine("Ticketing.Core", "Orders", "OrderTransitions.cs"), Path.Combine("Ticketing.Core", "Orders", "Order.cs") };
        var offenders = new List<string>();
        foreach (var (path, text) in SourceFiles().Where(f => !owners.Contains(f.Path)))
        {
            foreach (Match m in OrdersChain().Matches(text))
            {
                if (ExecuteCall(text, m.Index + m.Length) is { } call && StatusSetter().IsMatch(call))
                    offenders.Add($"{path}:{LineOf(text, m.Index)} sets Orders.Status");
            }
            foreach (Match m in StatusAssignment().Matches(text))
                offenders.Add($"{path}:{LineOf(text, m.Index)} assigns an order's status");
        }
        Assert.True(offenders.Count == 0, "An order's status moves only through OrderTransitions / Order.MarkPaid:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheSourceScan_RecognisesAWriterChain_AndNotAMereMention()
    {
        Assert.Equal("ExecuteUpdateAsync", FirstExecute("await db.PriceCategories.Where(c => c.Id == id)\n  .ExecuteUpdateAsync(s => s.SetProperty(c => c.Held, 0));"));
        Assert.Equal("ExecuteDeleteAsync", FirstExecute("await db.Set<PriceCategory>().Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);"));
        // PriceCategories inside another table's statement (a subquery) is a read.
        Assert.Null(FirstExecute("await db.Events.Where(x => !db.PriceCategories.Any(c => c.Sold > 0)).ExecuteDeleteAsync(ct);"));
        Assert.Null(FirstExecute("var n = await db.PriceCategories.AsNoTracking().Where(c => c.Id == id).SumAsync(c => c.Sold, ct);"));
        Assert.Matches(RawSqlOnCategories(), "$\"UPDATE \\\"PriceCategories\\\" SET \\\"Held\\\" = 0\"");
        Assert.Matches(RawSqlOnCategories(), "DELETE FROM \"PriceCategories\" WHERE");
        Assert.DoesNotMatch(RawSqlOnCategories(), "UPDATE \\\"Performances\\\" SET \\\"LastTicketNumber\\\" = 1");
        const string close = "await db.Orders.Where(o => o.Id == id)\n .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), ct);";
        Assert.Matches(StatusSetter(), ExecuteCall(close, OrdersChain().Match(close).Index + ".Orders".Length)!);
        const string anonymize = "await db.Orders.Where(o => o.UserId == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.BuyerName, \"x\"));";
        Assert.DoesNotMatch(StatusSetter(), ExecuteCall(anonymize, OrdersChain().Match(anonymize).Index + ".Orders".Length)!);
        Assert.Matches(StatusAssignment(), "order.Status = OrderStatus.Paid;");
        Assert.DoesNotMatch(StatusAssignment(), "new Order { Status = OrderStatus.Reserved }");

        static string? FirstExecute(string text) => PriceCategoriesChain().Matches(text)
            .Select(m => ChainCalls(text, m.Index + m.Length)).FirstOrDefault(c => c?.StartsWith("Execute", StringComparison.Ordinal) == true);
    }

    /// <summary><c>.PriceCategories</c> (or <c>Set&lt;PriceCategory&gt;()</c>) as the start of a query chain.</summary>
    [GeneratedRegex(@"\.PriceCategories\b|\bSet<PriceCategory>\(\)")]
    private static partial Regex PriceCategoriesChain();

    [GeneratedRegex(@"\.Orders\b")]
    private static partial Regex OrdersChain();

    [GeneratedRegex(@"SetProperty\(\s*\w+\s*=>\s*\w+\.Status\s*,")]
    private static partial Regex StatusSetter();

    [GeneratedRegex(@"\.Status\s*=\s*OrderStatus\.")]
    private static partial Regex StatusAssignment();

    /// <summary>The text of the Execute* call (name and arguments) the chain at <paramref name="start"/> ends in, or null.</summary>
    private static string? ExecuteCall(string text, int start)
    {
        var i = start;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length || text[i] != '.') return null;
            var nameStart = ++i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
            var isExecute = text[nameStart..i].StartsWith("Execute", StringComparison.Ordinal);
            if (i < text.Length && text[i] == '<') i = SkipBalanced(text, i, '<', '>');
            if (i < text.Length && text[i] == '(') i = SkipBalanced(text, i, '(', ')');
            if (isExecute) return text[nameStart..i];
        }
    }

    /// <summary>An UPDATE of, or a DELETE from, the categories table in a SQL string (quotes escaped or not).</summary>
    [GeneratedRegex(@"(UPDATE|DELETE\s+FROM)\s+(\\?""|`|\[)?PriceCategories\b", RegexOptions.IgnoreCase)]
    private static partial Regex RawSqlOnCategories();

    /// <summary>
    /// Walks the member chain that starts at <paramref name="start"/> (<c>.Where(...)</c>, <c>.ExecuteUpdateAsync(...)</c>,
    /// over lines and nested parentheses) and answers the first member whose name starts with Execute, or null when the
    /// chain ends (a closing parenthesis, a semicolon, an operator: the categories were only read inside something else).
    /// </summary>
    private static string? ChainCalls(string text, int start)
    {
        var i = start;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length || text[i] != '.') return null;
            i++;
            var nameStart = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
            var name = text[nameStart..i];
            if (name.StartsWith("Execute", StringComparison.Ordinal)) return name;
            if (i < text.Length && text[i] == '<') i = SkipBalanced(text, i, '<', '>');
            if (i < text.Length && text[i] == '(') i = SkipBalanced(text, i, '(', ')');
        }
    }

    private static int SkipBalanced(string text, int i, char open, char close)
    {
        var depth = 0;
        for (; i < text.Length; i++)
        {
            if (text[i] == open) depth++;
            else if (text[i] == close && --depth == 0) return i + 1;
        }
        return i;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    /// <summary>Every C# file of Core and Web (migrations and build output aside), except the owner's folder.</summary>
    private static IEnumerable<(string Path, string Text)> SourceFiles()
    {
        var root = RepositoryRoot();
        var inventory = Path.Combine(root, "Ticketing.Core", "Inventory") + Path.DirectorySeparatorChar;
        var files = new[] { "Ticketing.Core", "Ticketing.Web" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(root, p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(inventory, StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "obj" or "bin" or "Migrations"))
            .ToList();
        Assert.True(files.Count > 100, $"Only {files.Count} source files found under {root}");
        return files.Select(f => (Path.GetRelativePath(root, f), File.ReadAllText(f)));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ticketing.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Ticketing.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The namespaces of the ASP.NET Core shared framework (its assemblies beside the runtime's).</summary>
    private static IReadOnlyList<string> AspNetCoreNamespaces()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // .../shared/Microsoft.NETCore.App/<version>
        var version = new DirectoryInfo(runtime).Name;
        var shared = Path.Combine(runtime, "..", "..", "Microsoft.AspNetCore.App");
        var dir = Directory.Exists(Path.Combine(shared, version)) ? Path.Combine(shared, version)
            : Directory.EnumerateDirectories(shared).OrderByDescending(d => d, StringComparer.Ordinal).First();
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "Microsoft.AspNetCore*.dll"))
        {
            using var module = Mono.Cecil.ModuleDefinition.ReadModule(file);
            foreach (var type in module.Types)
            {
                if (type.IsPublic && type.Namespace.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)) namespaces.Add(type.Namespace);
            }
        }
        // A namespace that is the prefix of an allowed one would match it too (NetArchTest matches by prefix): keep the leaves only.
        return namespaces.Where(ns => !AllowedAspNetCore.Any(a => a.StartsWith(ns + ".", StringComparison.Ordinal))).ToList();
    }

    private static string Describe(TestResult result) =>
        "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []);
}

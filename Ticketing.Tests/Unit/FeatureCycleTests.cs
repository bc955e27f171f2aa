using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Ticketing.Tests.Unit;

/// <summary>
/// The web project's features (<c>Ticketing.Web.Features.&lt;Feature&gt;</c>) depend on each other without cycles: a
/// feature may use another (the event page embeds the booking panel, guest checkout reuses the card form), never back.
/// The dependencies are read from the compiled assembly (Mono.Cecil): type signatures, attributes, and every type, field
/// and method a method body names — Razor components included (<c>OpenComponent&lt;T&gt;</c>). What several features
/// share lives outside them (<c>Components/Shared</c>, <c>Hosting</c>).
/// </summary>
public sealed class FeatureCycleTests
{
    private const string Prefix = "Ticketing.Web.Features.";

    [Fact]
    public void WebFeatures_HaveNoDependencyCycle()
    {
        var graph = FeatureGraph(typeof(Ticketing.Web.Features.Orders.SoldOutFastPath).Assembly.Location, Prefix);
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        Assert.True(cycles.Count == 0, "Features that depend on each other (break the cycle: move what they share out of the features):\n"
            + string.Join("\n", cycles.SelectMany(c => c.Order(StringComparer.Ordinal).SelectMany(a => graph[a]
                .Where(e => c.Contains(e.Key)).Select(e => $"  {a} -> {e.Key} ({e.Value})")))));
        // Not a vacuous graph: the known one-way uses are seen.
        Assert.Contains("Orders", graph["Catalog"].Keys); // EventPage embeds BookingPanel
        Assert.Contains("Orders", graph["Guests"].Keys); // GuestOrder reuses CardForm, HoldCountdown, Idempotency
        Assert.Contains("WaitingRoom", graph["Orders"].Keys); // holds require admission during a queued sale
    }

    /// <summary>
    /// Start-up (<c>Ticketing.Web.Hosting</c>: the composition root) knows the features to register them; the features do
    /// not know it back. What they share with it — endpoint conventions, policy names, problem details, security headers —
    /// lives in <c>Ticketing.Web.Http</c>.
    /// </summary>
    [Fact]
    public void WebFeatures_DoNotDependOnHosting()
    {
        using var module = ModuleDefinition.ReadModule(typeof(Ticketing.Web.Features.Orders.SoldOutFastPath).Assembly.Location);
        var offenders = module.Types.Where(t => FeatureOf(t, Prefix) is not null)
            .SelectMany(t => Uses(t).Where(u => Outermost(u).Namespace == "Ticketing.Web.Hosting").Select(u => $"{t.FullName} -> {u.FullName}"))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(offenders.Count == 0, "Features using start-up (move what they share to Ticketing.Web.Http):\n" + string.Join("\n", offenders));
        // Not vacuous: start-up itself uses the features (it maps their endpoints).
        Assert.Contains(module.Types.Where(t => t.Namespace == "Ticketing.Web.Hosting").SelectMany(Uses), u => FeatureOf(u, Prefix) is not null);
    }

    [Fact]
    public void TheCycleFinder_FindsACycle_AndNotAChain()
    {
        var chain = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "" }, ["B"] = new() { ["C"] = "" }, ["C"] = new(),
        };
        Assert.All(StronglyConnected(chain), c => Assert.Single(c));
        chain["C"]["A"] = "";
        Assert.Contains(StronglyConnected(chain), c => c.Count == 3);
    }

    /// <summary>feature -> (feature it uses -> one example "Type -> UsedType").</summary>
    private static Dictionary<string, Dictionary<string, string>> FeatureGraph(string assemblyPath, string prefix)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in module.Types)
        {
            if (FeatureOf(type, prefix) is not { } feature) continue;
            var edges = graph.TryGetValue(feature, out var e) ? e : graph[feature] = new(StringComparer.Ordinal);
            foreach (var used in Uses(type))
            {
                if (FeatureOf(used, prefix) is { } other && other != feature)
                    edges.TryAdd(other, $"{type.Name} -> {used.Name}");
            }
        }
        foreach (var targets in graph.Values.ToList())
            foreach (var target in targets.Keys) graph.TryAdd(target, new(StringComparer.Ordinal));
        return graph;
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static string? FeatureOf(TypeReference type, string prefix)
    {
        type = Outermost(type);
        if (!type.Namespace.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = type.Namespace[prefix.Length..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>Every type a type (and its nested types: lambdas, async state machines) names.</summary>
    private static IEnumerable<TypeReference> Uses(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null: return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments) Add(a);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }
        void AddAttributes(ICustomAttributeProvider p)
        {
            if (!p.HasCustomAttributes) return;
            foreach (var a in p.CustomAttributes)
            {
                Add(a.AttributeType);
                foreach (var arg in a.ConstructorArguments) if (arg.Value is TypeReference tr) Add(tr);
            }
        }
        void AddMethod(MethodReference m)
        {
            Add(m.DeclaringType);
            Add(m.ReturnType);
            foreach (var p in m.Parameters) Add(p.ParameterType);
            if (m is GenericInstanceMethod gm) foreach (var a in gm.GenericArguments) Add(a);
        }

        var pending = new Stack<TypeDefinition>([type]);
        while (pending.Count > 0)
        {
            var t = pending.Pop();
            foreach (var nested in t.NestedTypes) pending.Push(nested);
            Add(t.BaseType);
            foreach (var i in t.Interfaces) Add(i.InterfaceType);
            AddAttributes(t);
            foreach (var f in t.Fields) { Add(f.FieldType); AddAttributes(f); }
            foreach (var p in t.Properties) { Add(p.PropertyType); AddAttributes(p); }
            foreach (var m in t.Methods)
            {
                AddMethod(m);
                AddAttributes(m);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(v.VariableType);
                foreach (var instruction in m.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference tr: Add(tr); break;
                        case MethodReference mr: AddMethod(mr); break;
                        case FieldReference fr: Add(fr.DeclaringType); Add(fr.FieldType); break;
                    }
                }
            }
        }
        return found;
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<HashSet<string>> StronglyConnected(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<HashSet<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph[v].Keys)
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new HashSet<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            result.Add(component);
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal).ToList())
            if (!index.ContainsKey(v)) Visit(v);
        return result;
    }
}

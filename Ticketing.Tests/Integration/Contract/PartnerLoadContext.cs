using System.Reflection;
using System.Runtime.Loader;

namespace Ticketing.Tests.Integration.Contract;

/// <summary>Loads the built partner client with its own dependencies (Kiota's packages), next to the test's framework.</summary>
public sealed class PartnerLoadContext(string assemblyPath) : AssemblyLoadContext("partner-client")
{
    private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName) =>
        _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
}

namespace Ticketing.Core;

/// <summary>Marker type for the shared EN/FR resources in <c>Resources/SharedResource*.resx</c>.</summary>
public sealed class SharedResource;

using Microsoft.Extensions.Localization;

namespace Ticketing.Core.Common;

/// <summary>Collects field errors with localized messages, then throws one <see cref="RequestValidationException"/>.</summary>
public sealed class Validator(IStringLocalizer localizer)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validator Add(string field, string resourceKey, params object[] args)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(localizer[resourceKey, args]);
        return this;
    }

    public Validator Require(bool condition, string field, string resourceKey, params object[] args)
    {
        if (!condition) Add(field, resourceKey, args);
        return this;
    }

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new RequestValidationException(Errors);
    }
}

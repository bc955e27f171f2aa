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

    /// <summary>
    /// The one check of a user-entered text: required, at most <paramref name="maxLength"/> characters once trimmed (the
    /// column's size), no control characters (newline and tab only when <paramref name="multiLine"/>), no unpaired
    /// surrogates, not markup only. Returns the trimmed text (null when empty), to store as is.
    /// </summary>
    public string? Text(string field, string? value, int maxLength, bool required = false, bool multiLine = false)
    {
        var clean = UserText.Clean(value);
        if (clean is null)
        {
            if (required) Add(field, "Validation.Required");
            return null;
        }
        if (clean.Length > maxLength) Add(field, "Validation.MaxLength", maxLength);
        else switch (UserText.Check(clean, multiLine))
        {
            case TextProblem.ControlCharacter or TextProblem.UnpairedSurrogate: Add(field, "Validation.InvalidCharacters"); break;
            case TextProblem.MarkupOnly: Add(field, "Validation.MarkupOnly"); break;
        }
        return clean;
    }

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new RequestValidationException(Errors);
    }
}

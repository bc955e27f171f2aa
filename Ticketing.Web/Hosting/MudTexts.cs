using Microsoft.Extensions.Localization;
using MudBlazor;
using Ticketing.Core;

namespace Ticketing.Web.Hosting;

/// <summary>
/// MudBlazor's own texts (the "Required" under a required field, close buttons, pagers, …) in the reader's language: once
/// registered, MudBlazor asks this localizer in every culture, English included; our resources hold the texts as
/// <c>Mud.{MudBlazor's key}</c>, and a key we do not hold falls back to MudBlazor's English.
/// </summary>
/// <remarks>
/// MudBlazor also asks with arguments (often none): those are formatted here, and a text that is not a format string (a
/// pager's <c>{first_item}</c> tokens) is returned as it is rather than failing the page.
/// </remarks>
public sealed class MudTexts(IStringLocalizer<SharedResource> localizer) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var text = localizer["Mud." + key];
            return new LocalizedString(key, text.Value, text.ResourceNotFound);
        }
    }

    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var text = this[key];
            if (text.ResourceNotFound || arguments.Length == 0) return text;
            try
            {
                return new LocalizedString(key, string.Format(System.Globalization.CultureInfo.CurrentCulture, text.Value, arguments), false);
            }
            catch (FormatException)
            {
                return text;
            }
        }
    }
}

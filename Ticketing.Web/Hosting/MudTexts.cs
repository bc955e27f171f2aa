using Microsoft.Extensions.Localization;
using MudBlazor;
using Ticketing.Core;

namespace Ticketing.Web.Hosting;

/// <summary>
/// MudBlazor's own texts (the "Required" under a required field, …) in the reader's language: MudBlazor keeps its English
/// and asks this localizer in other cultures; our resources hold them as <c>Mud.{MudBlazor's key}</c>. A key we do not
/// translate falls back to MudBlazor's English.
/// </summary>
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
}

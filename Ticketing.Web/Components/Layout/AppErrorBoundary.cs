using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;
using Ticketing.Core;

namespace Ticketing.Web.Components.Layout;

/// <summary>Shows a friendly, localized message with a reference the user can quote; the full error goes to the log.</summary>
public sealed class AppErrorBoundary : ErrorBoundary
{
    [Inject] private ILogger<AppErrorBoundary> Logger { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    private string _reference = "";

    protected override Task OnErrorAsync(Exception exception)
    {
        _reference = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N")[..16];
        Logger.LogError(exception, "Unhandled UI error {ErrorReference}", _reference);
        return Task.CompletedTask;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (CurrentException is null) { builder.AddContent(0, ChildContent); return; }
        builder.OpenElement(1, "div");
        builder.AddAttribute(2, "class", "tk-error-panel");
        builder.AddAttribute(3, "role", "alert");
        builder.OpenElement(4, "h1"); builder.AddContent(5, L["Error.Title"]); builder.CloseElement();
        builder.OpenElement(6, "p"); builder.AddContent(7, L["Error.unexpected"]); builder.CloseElement();
        builder.OpenElement(8, "p"); builder.AddAttribute(9, "class", "tk-muted"); builder.AddContent(10, L["Error.TraceId", _reference]); builder.CloseElement();
        builder.OpenElement(11, "a"); builder.AddAttribute(12, "href", Navigation.Uri); builder.AddAttribute(13, "data-enhance-nav", "false");
        builder.AddContent(14, L["Error.Reload"]); builder.CloseElement();
        builder.CloseElement();
    }
}

using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Web.Features.Users;

namespace Ticketing.Tests.Components;

public sealed class UsersGridTests
{
    private static readonly Guid Me = Guid.NewGuid();

    private static readonly AdminUser[] People =
    [
        new(Me, "admin@test.local", "Admin", null, "en", "Email", [Roles.Admin], false, false, DateTimeOffset.UtcNow),
        new(Guid.NewGuid(), "locked@test.local", "Locked Person", null, "fr", "Email", [Roles.Customer], true, false, DateTimeOffset.UtcNow),
        new(Guid.NewGuid(), "org@test.local", "Organizer", "+33612345678", "en", "Sms", [Roles.Organizer], false, false, DateTimeOffset.UtcNow),
    ];

    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    [Fact]
    public async Task Grid_ShowsAPageOfUsers_WithRolesAndLockState()
    {
        await using var ctx = NewContext();
        var queries = new List<UsersQuery>();
        var grid = ctx.Render<UsersGrid>(p => p
            .Add(g => g.ActingAdminId, Me)
            .Add(g => g.LoadAsync, q => { queries.Add(q); return Task.FromResult(new PagedResult<AdminUser>(People, q.Page, q.PageSize, 42)); }));

        grid.WaitForAssertion(() => Assert.Equal(3, grid.FindAll("tbody tr.mud-table-row").Count));
        Assert.Equal(1, queries[0].Page); // the grid's 0-based page becomes the API's 1-based page
        Assert.Single(grid.FindAll("[data-testid=locked]"));
        Assert.Contains("locked@test.local", grid.Markup);
        Assert.Contains("Organizer", grid.Markup);
        // The acting admin cannot lock or delete themself: only the other two rows have those buttons.
        Assert.Equal(2, grid.FindAll("button[aria-label^='Delete ']").Count);
        Assert.Contains("42", grid.Find(".mud-table-pagination").TextContent);
    }

    [Fact]
    public async Task Grid_AsksTheServerAgain_WhenTheRoleFilterChanges()
    {
        await using var ctx = NewContext();
        var queries = new List<UsersQuery>();
        var grid = ctx.Render<UsersGrid>(p => p
            .Add(g => g.ActingAdminId, Me)
            .Add(g => g.LoadAsync, q => { queries.Add(q); return Task.FromResult(new PagedResult<AdminUser>([], q.Page, q.PageSize, 0)); }));
        grid.WaitForAssertion(() => Assert.Single(queries));
        Assert.Contains("No user matches.", grid.Markup);

        var select = grid.FindComponent<MudSelect<string>>();
        await grid.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(Roles.Organizer));
        grid.WaitForAssertion(() => Assert.Equal(Roles.Organizer, queries[^1].Role));
    }
}

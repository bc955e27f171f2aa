using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Users;

public static class UserEndpoints
{
    public static void MapUserEndpoints(this WebApplication app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireApiAuth(Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403);

        users.MapGet("", async Task<Ok<PagedResult<AdminUser>>> (string? search, string? role, int? page, int? pageSize, UserAdminService admin) =>
                TypedResults.Ok(await admin.ListAsync(search, role, PageRequest.Create(page, pageSize))))
            .WithName("ListUsers").WithSummary("Paged users, with search (email or name) and role filter");

        users.MapGet("/{id:guid}", async Task<Ok<AdminUser>> (Guid id, UserAdminService admin) => TypedResults.Ok(await admin.GetAsync(id)))
            .WithName("GetUser").WithSummary("One user").ProducesProblems(404);

        users.MapPost("", async Task<Created<AdminUser>> (CreateUserRequest request, UserAdminService admin) =>
            {
                var created = await admin.CreateAsync(request);
                return TypedResults.Created($"/api/users/{created.Id}", created);
            })
            .WithName("CreateUser").WithSummary("Create a user with roles (e.g. an Organizer)")
            .ProducesValidationProblem().ProducesProblems(409).ProducesProblemCodes(ErrorCodes.EmailTaken);

        users.MapPut("/{id:guid}", async Task<Ok<AdminUser>> (Guid id, UpdateUserRequest request, ClaimsPrincipal me, UserAdminService admin) =>
                TypedResults.Ok(await admin.UpdateAsync(id, request, me.UserId())))
            .WithName("UpdateUser").WithSummary("Update name, phone, roles and lock state")
            .ProducesValidationProblem().ProducesProblems(404);

        users.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, ClaimsPrincipal me, UserAdminService admin) =>
            {
                await admin.DeleteAsync(id, me.UserId());
                return TypedResults.NoContent();
            })
            .WithName("DeleteUser").WithSummary("Delete (anonymise) a user; orders and tickets are kept")
            .ProducesValidationProblem().ProducesProblems(404);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ticketing.Core.Persistence;

/// <summary>Lets <c>dotnet ef</c> build either context without the web host (migrations per provider).</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTicketingDbContext>
{
    public SqliteTicketingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTicketingDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTicketingDbContext>
{
    public PostgresTicketingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTicketingDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}

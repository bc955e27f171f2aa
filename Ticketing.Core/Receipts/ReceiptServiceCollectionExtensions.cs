using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.Receipts;

public static class ReceiptServiceCollectionExtensions
{
    /// <summary>Receipts and credit notes: the PDFs and the accounting export (numbering runs inside the sale and refund transactions).</summary>
    public static IServiceCollection AddReceipts(this IServiceCollection services)
    {
        services.AddSingleton<ReceiptPdfRenderer>();
        services.AddScoped<ReceiptDocuments>();
        services.AddScoped<ReceiptExport>();
        return services;
    }
}

using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.Common;

/// <summary>Reads what <see cref="KeyEncryptionXmlEncryptor"/> wrote (Data Protection creates it by type name, with the app's services).</summary>
public sealed class KeyEncryptionXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(Encoding.UTF8.GetString(services.GetRequiredService<KeyEncryption>().Decrypt(encryptedElement.Value, KeyEncryptionXmlEncryptor.Purpose)));
}

using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Ticketing.Core.Common;

/// <summary>
/// Encrypts the secret part of each Data Protection key (its master key) with the key-encryption key before the key
/// ring is written to the database: <c>&lt;kekEncrypted&gt;kek1.…&lt;/kekEncrypted&gt;</c>.
/// </summary>
public sealed class KeyEncryptionXmlEncryptor(KeyEncryption kek) : IXmlEncryptor
{
    public const string ElementName = "kekEncrypted";
    public const string Purpose = "DataProtectionKeys";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement(ElementName, kek.Encrypt(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)), Purpose)),
            typeof(KeyEncryptionXmlDecryptor));
}

using System.Security.Cryptography;
using System.Text;

namespace Forecasting.Api.Auth;

/// <summary>
/// Keys are "fk_" and 256 random bits in base64url. They are stored as SHA-256 hashes: a slow password hash
/// (bcrypt, Argon2) protects low-entropy secrets against guessing, but nobody can enumerate 2^256 keys, so one fast
/// hash is as safe here and lets every request be checked in microseconds.
/// </summary>
public static class ApiKeyGenerator
{
    public const string Marker = "fk_";

    /// <summary>"fk_" and the next 8 characters (48 random bits): enough to tell keys apart, useless to an attacker.</summary>
    public const int PrefixLength = 11;

    public static string NewKey() => Marker + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string Prefix(string key) => key.Length <= PrefixLength ? key : key[..PrefixLength];

    /// <summary>Compares two hashes in time independent of where they differ.</summary>
    public static bool SameHash(byte[] a, byte[] b) => CryptographicOperations.FixedTimeEquals(a, b);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

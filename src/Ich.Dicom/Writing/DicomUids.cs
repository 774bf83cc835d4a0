using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Ich.Dicom.Writing;

/// <summary>
/// UIDs under the root <c>2.25</c> (PS3.5 §B.2): "2.25." followed by a 128-bit UUID written as an
/// unsigned decimal integer (at most 39 digits, so every UID fits the 64-character limit). Random
/// UIDs use a version-4 UUID; deterministic UIDs use a name-based UUID (version 8 layout, RFC 9562)
/// whose 122 free bits are the first bits of SHA-256("ich-uid|" + seed + "|" + name), so the same
/// seed and name always give the same UID and different names practically never collide.
/// </summary>
public static class DicomUids
{
    /// <summary>The documented root of every UID this project makes.</summary>
    public const string Root = "2.25";

    /// <summary>Fixed ImplementationClassUID of this project's writer (name-based, seed 0).</summary>
    public static readonly string ImplementationClassUid = FromSeed(0, "ich implementation class");

    /// <summary>A new random UID (UUID version 4).</summary>
    public static string NewRandom()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return FromUuidBytes(bytes);
    }

    /// <summary>A UID that depends only on <paramref name="seed"/> and <paramref name="name"/>.</summary>
    public static string FromSeed(ulong seed, string name)
    {
        var input = Encoding.UTF8.GetBytes($"ich-uid|{seed}|{name}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return FromUuidBytes(bytes);
    }

    /// <summary>"2.25." + the 16 bytes read as a big-endian unsigned integer.</summary>
    public static string FromUuidBytes(ReadOnlySpan<byte> uuid)
    {
        if (uuid.Length != 16) throw new ArgumentException("a UUID has 16 bytes", nameof(uuid));
        var value = new BigInteger(uuid, isUnsigned: true, isBigEndian: true);
        return Root + "." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True when <paramref name="uid"/> is a syntactically valid UID (PS3.5 §9.1).</summary>
    public static bool IsValid(string uid)
    {
        if (uid.Length is 0 or > 64) return false;
        foreach (var part in uid.Split('.'))
        {
            if (part.Length == 0 || (part.Length > 1 && part[0] == '0')) return false;
            foreach (var c in part) if (c is < '0' or > '9') return false;
        }
        return true;
    }
}

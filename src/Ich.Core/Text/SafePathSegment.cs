using System.Security.Cryptography;
using System.Text;

namespace Ich.Core.Text;

/// <summary>
/// Turns an untrusted identifier (scan id, slice id read from a file or a request) into one safe folder
/// or file name segment. Identifiers that are already safe (<c>[A-Za-z0-9_-]</c> plus inner dots, at most
/// <see cref="MaxLength"/> characters, not starting with a dot) are kept as they are, so the usual RSNA ids,
/// DICOM UIDs and phantom ids name their files verbatim. Anything else has each unsafe character replaced by
/// '_' and gets '-' plus 8 hex digits of the SHA-256 of the original appended, so two different ids never
/// collapse onto the same name and no result can be ".", "..", contain a separator or be empty.
/// </summary>
public static class SafePathSegment
{
    /// <summary>Longest identifier kept verbatim; longer ones are cut and hashed.</summary>
    public const int MaxLength = 120;

    /// <summary>The safe segment for <paramref name="id"/> (see the type comment).</summary>
    public static string From(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (IsSafe(id)) return id;
        var kept = id.Length > MaxLength ? id[..MaxLength] : id;
        var builder = new StringBuilder(kept.Length + 10);
        if (kept.Length == 0) builder.Append('_'); // never a name that starts with the '-' of the suffix
        for (var i = 0; i < kept.Length; i++)
        {
            var c = kept[i];
            builder.Append(IsSafeChar(c) && !(c == '.' && i == 0) ? c : '_');
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(id));
        builder.Append('-').Append(Convert.ToHexStringLower(hash.AsSpan(0, 4)));
        return builder.ToString();
    }

    /// <summary>True when <paramref name="id"/> is used verbatim by <see cref="From"/>.</summary>
    public static bool IsSafe(string id) =>
        id.Length is > 0 and <= MaxLength && id[0] != '.' && id.All(IsSafeChar);

    private static bool IsSafeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
}

using System.Buffers.Binary;
using System.Text;

namespace Ich.Model.Runtime;

/// <summary>
/// Makes TorchSharp 0.107's native shim load on glibc systems whose libstdc++ stops before
/// GLIBCXX_3.4.32 (Debian 12 stops at 3.4.30).
/// <para>
/// <c>libLibTorchSharp.so</c> was linked with GCC 13 and lists a version need on GLIBCXX_3.4.32 for a
/// single symbol (<c>_ZSt21ios_base_library_initv</c>) that no relocation uses. The dynamic loader
/// refuses the whole library for it, and TorchSharp then reports a misleading "missing libtorch
/// package" error. Marking that one version need WEAK (<c>vna_flags |= VER_FLG_WEAK</c>) in the
/// <c>.gnu.version_r</c> section lets glibc load it; nothing else changes. The patch is one byte,
/// idempotent, and applied to the copies in the application folder (never to the NuGet cache).
/// </para>
/// </summary>
public static class LibTorchSharpCompat
{
    private const string LibraryName = "libLibTorchSharp.so";
    private const string NeededVersion = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;
    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>Patches every copy of the shim under <paramref name="root"/> (default: the app folder). Safe to call often.</summary>
    public static void EnsurePatched(string? root = null)
    {
        lock (Gate)
        {
            if (_done && root is null) return;
            var dir = root ?? AppContext.BaseDirectory;
            if (Directory.Exists(dir))
                foreach (var file in Directory.EnumerateFiles(dir, LibraryName, SearchOption.AllDirectories))
                    PatchFile(file);
            if (root is null) _done = true;
        }
    }

    /// <summary>Result of inspecting or patching one file.</summary>
    public enum PatchResult { Patched, AlreadyWeak, NotNeeded }

    /// <summary>Marks the GLIBCXX_3.4.32 version need weak in one ELF64 little-endian file.</summary>
    public static PatchResult PatchFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = FindVernauxFlagsOffset(bytes, NeededVersion);
        if (offset < 0) return PatchResult.NotNeeded;
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset));
        if ((flags & VerFlagWeak) != 0) return PatchResult.AlreadyWeak;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)(flags | VerFlagWeak));
        // Write beside, then replace: a crash mid-write must not leave a broken library. The temporary name is
        // unique so that several processes starting at once (parallel training runs) never share it; the
        // renames are atomic and all write the same bytes, so the last one winning is harmless.
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.patching";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return PatchResult.Patched;
    }

    /// <summary>Whether the version need is present and still strong (i.e. the library would fail to load).</summary>
    public static bool NeedsPatch(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = FindVernauxFlagsOffset(bytes, NeededVersion);
        return offset >= 0 && (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset)) & VerFlagWeak) == 0;
    }

    /// <summary>
    /// Walks the ELF64 section headers to SHT_GNU_verneed, then its Verneed/Vernaux chains, and returns
    /// the file offset of <c>vna_flags</c> of the entry named <paramref name="version"/>, or -1.
    /// </summary>
    internal static int FindVernauxFlagsOffset(byte[] b, string version)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F') return -1;
        if (b[4] != 2 || b[5] != 1) return -1; // only ELF64 little-endian
        var span = b.AsSpan();
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(span[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > b.Length) return -1;

        for (var i = 0; i < shnum; i++)
        {
            var sh = (int)(shoff + (long)i * shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[(sh + 4)..]) != ShtGnuVerneed) continue;
            long secOffset = BinaryPrimitives.ReadInt64LittleEndian(span[(sh + 0x18)..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(sh + 0x28)..]);
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(sh + 0x2C)..]); // sh_info = number of Verneed entries
            if (link >= shnum) return -1;
            var strSh = (int)(shoff + (long)link * shentsize);
            long strOffset = BinaryPrimitives.ReadInt64LittleEndian(span[(strSh + 0x18)..]);

            var need = secOffset;
            for (var n = 0; n < count && need + 16 <= b.Length; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(need + 2)..]);
                long aux = need + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 8)..]);
                for (var a = 0; a < auxCount && aux + 16 <= b.Length; a++)
                {
                    long name = strOffset + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 8)..]);
                    if (ReadCString(b, name) == version) return (int)(aux + 4); // Elf64_Vernaux: vna_hash u32, vna_flags u16 at +4
                    uint next = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 12)..]);
                    if (next == 0) break;
                    aux += next;
                }
                uint nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 12)..]);
                if (nextNeed == 0) break;
                need += nextNeed;
            }
        }
        return -1;
    }

    private static string? ReadCString(byte[] b, long offset)
    {
        if (offset < 0 || offset >= b.Length) return null;
        var end = Array.IndexOf(b, (byte)0, (int)offset);
        return end < 0 ? null : Encoding.ASCII.GetString(b, (int)offset, end - (int)offset);
    }
}

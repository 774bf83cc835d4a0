// The one home of the libLibTorchSharp.so fix. It is compiled twice: by MSBuild's RoslynCodeTaskFactory as the
// build task below (Directory.Build.targets runs it on every output and publish folder), and, with
// ICH_NO_MSBUILD_TASK defined, into the tests. It targets netstandard2.0 (the task factory's reference set),
// hence the hand-written little-endian reads instead of System.Buffers.Binary.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace Ich.Build
{
    /// <summary>
    /// Makes TorchSharp 0.107's native shim load on glibc systems whose libstdc++ stops before
    /// GLIBCXX_3.4.32 (Debian 12 stops at 3.4.30).
    /// <para>
    /// <c>libLibTorchSharp.so</c> was linked with GCC 13 and lists a version need on GLIBCXX_3.4.32 for a
    /// single symbol (<c>_ZSt21ios_base_library_initv</c>) that no relocation uses. The dynamic loader
    /// refuses the whole library for it, and TorchSharp then reports a misleading "missing libtorch
    /// package" error. Marking that one version need WEAK (<c>vna_flags |= VER_FLG_WEAK</c>) in the
    /// <c>.gnu.version_r</c> section lets glibc load it; nothing else changes. The patch is one byte and
    /// idempotent. It runs at build and publish time on the copies in the output folder (never on the NuGet
    /// cache), so an installed application never writes into its own folder (read-only installs work).
    /// </para>
    /// </summary>
    public static class LibTorchSharpShim
    {
        /// <summary>File name of the shim in an output folder.</summary>
        public const string FileName = "libLibTorchSharp.so";

        private const string NeededVersion = "GLIBCXX_3.4.32";
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>Result of patching one file.</summary>
        public enum PatchResult { Patched, AlreadyWeak, NotNeeded }

        /// <summary>Marks the GLIBCXX_3.4.32 version need weak in one ELF64 little-endian file.</summary>
        public static PatchResult PatchFile(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var offset = FindVernauxFlagsOffset(bytes, NeededVersion);
            if (offset < 0) return PatchResult.NotNeeded;
            var flags = (ushort)U16(bytes, offset);
            if ((flags & VerFlagWeak) != 0) return PatchResult.AlreadyWeak;
            flags |= VerFlagWeak;
            bytes[offset] = (byte)flags;
            bytes[offset + 1] = (byte)(flags >> 8);
            // Write beside, then replace: a crash mid-write must not leave a broken library. The temporary name is
            // unique so that parallel builds never share it; all writers write the same bytes.
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".patching";
            File.WriteAllBytes(temp, bytes);
            File.Replace(temp, path, null);
            return PatchResult.Patched;
        }

        /// <summary>Whether the version need is present and still strong (i.e. the library would fail to load).</summary>
        public static bool NeedsPatch(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var offset = FindVernauxFlagsOffset(bytes, NeededVersion);
            return offset >= 0 && (U16(bytes, offset) & VerFlagWeak) == 0;
        }

        /// <summary>
        /// Walks the ELF64 section headers to SHT_GNU_verneed, then its Verneed/Vernaux chains, and returns
        /// the file offset of <c>vna_flags</c> of the entry named <paramref name="version"/>, or -1.
        /// </summary>
        public static int FindVernauxFlagsOffset(byte[] b, string version)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F') return -1;
            if (b[4] != 2 || b[5] != 1) return -1; // only ELF64 little-endian
            long shoff = (long)U64(b, 0x28);
            int shentsize = U16(b, 0x3A);
            int shnum = U16(b, 0x3C);
            if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > b.Length) return -1;

            for (var i = 0; i < shnum; i++)
            {
                var sh = shoff + (long)i * shentsize;
                if (U32(b, sh + 4) != ShtGnuVerneed) continue;
                long secOffset = (long)U64(b, sh + 0x18);
                long link = U32(b, sh + 0x28);
                long count = U32(b, sh + 0x2C); // sh_info = number of Verneed entries
                if (link >= shnum) return -1;
                var strSh = shoff + link * shentsize;
                long strOffset = (long)U64(b, strSh + 0x18);

                var need = secOffset;
                for (var n = 0; n < count && need >= 0 && need + 16 <= b.Length; n++)
                {
                    int auxCount = U16(b, need + 2);
                    long aux = need + U32(b, need + 8);
                    for (var a = 0; a < auxCount && aux >= 0 && aux + 16 <= b.Length; a++)
                    {
                        long name = strOffset + U32(b, aux + 8);
                        if (ReadCString(b, name) == version) return (int)(aux + 4); // Elf64_Vernaux: vna_hash u32, vna_flags u16 at +4
                        uint next = U32(b, aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint nextNeed = U32(b, need + 12);
                    if (nextNeed == 0) break;
                    need += nextNeed;
                }
            }
            return -1;
        }

        private static int U16(byte[] b, long o) => o < 0 || o + 2 > b.Length ? 0 : b[o] | (b[o + 1] << 8);

        private static uint U32(byte[] b, long o) =>
            o < 0 || o + 4 > b.Length ? 0u : (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        private static ulong U64(byte[] b, long o) => o < 0 || o + 8 > b.Length ? 0ul : U32(b, o) | ((ulong)U32(b, o + 4) << 32);

        private static string? ReadCString(byte[] b, long offset)
        {
            if (offset < 0 || offset >= b.Length) return null;
            var end = Array.IndexOf(b, (byte)0, (int)offset);
            return end < 0 ? null : Encoding.ASCII.GetString(b, (int)offset, end - (int)offset);
        }
    }

#if !ICH_NO_MSBUILD_TASK
    /// <summary>MSBuild task: patches every <c>libLibTorchSharp.so</c> under the given folders.</summary>
    public sealed class PatchLibTorchSharpShim : Microsoft.Build.Utilities.Task
    {
        /// <summary>Output or publish folders to search (recursively).</summary>
        [Microsoft.Build.Framework.Required]
        public string[] Folders { get; set; } = Array.Empty<string>();

        public override bool Execute()
        {
            foreach (var folder in Folders)
            {
                if (!Directory.Exists(folder)) continue;
                foreach (var file in Directory.GetFiles(folder, LibTorchSharpShim.FileName, SearchOption.AllDirectories))
                {
                    var result = LibTorchSharpShim.PatchFile(file);
                    if (result == LibTorchSharpShim.PatchResult.Patched)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "ich: marked GLIBCXX_3.4.32 weak in " + file);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}

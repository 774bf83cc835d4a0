using System.Diagnostics;
using System.Text.Json;
using Ich.Core.Text;
using Ich.Imaging.Overlays;
using Ich.TestKit;

namespace Ich.Imaging.Tests;

public class SaliencyMapFilesTests
{
    // Independent PNG reader (Python stdlib only): checks signature and every chunk CRC with zlib.crc32,
    // reads IHDR, inflates IDAT and undoes all five PNG filter types, prints width, height, bit depth,
    // colour type and the samples as JSON.
    private const string PythonPngReader = """
import json, struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'bad signature'
pos, idat, ihdr = 8, b'', None
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos+4]); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
    crc, = struct.unpack('>I', data[pos+8+n:pos+12+n])
    assert zlib.crc32(kind + body) & 0xffffffff == crc, 'bad crc in ' + kind.decode()
    if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
    if kind == b'IDAT': idat += body
    pos += 12 + n
w, h, depth, ctype = ihdr[0], ihdr[1], ihdr[2], ihdr[3]
bpp = 2; stride = w * 2
raw = zlib.decompress(idat); out = []; prev = bytearray(stride); p = 0
for y in range(h):
    f = raw[p]; line = bytearray(raw[p+1:p+1+stride]); p += 1 + stride
    for i in range(stride):
        a = line[i-bpp] if i >= bpp else 0; b = prev[i]; c = prev[i-bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pr) & 255
    out.extend(struct.unpack('>%dH' % w, bytes(line))); prev = line
print(json.dumps({'w': w, 'h': h, 'depth': depth, 'ctype': ctype, 'v': out}))
""";

    [SkippableFact]
    public void Write_16BitPng_ReadBackByPythonStdlib_HasExactScaledValues()
    {
        Skip.IfNot(File.Exists("/usr/bin/python3"), "skipped: /usr/bin/python3 not present");
        var dir = RepoPaths.NewTempDir();
        const int w = 5, h = 3;
        // Expected = round(float32(v) · 65535), computed by hand with Python's struct (float32 0.7 is just below
        // 0.7, so 45874.499 → 45874); 0.5 → 32767.5 → 32768 (the tie rounds to even); 1/65535 → 1.
        float[] values = [0f, 1f, 0.5f, 1f / 65535f, 0.25f, 0.75f, 0.1f, 0.2f, 0.3f, 0.4f, 0.6f, 0.7f, 0.8f, 0.9f, 0.05f];
        int[] expected = [0, 65535, 32768, 1, 16384, 49151, 6554, 13107, 19661, 26214, 39321, 45874, 52428, 58981, 3277];
        var paths = SaliencyMapFiles.Write(dir, "scan-1", [new SaliencyMap("ID_abc", 4, w, h, values)]);

        var path = Assert.Single(paths);
        Assert.Equal(Path.Combine(dir, "saliency", "scan-1", "ID_abc_subarachnoid.png"), path);
        using var doc = JsonDocument.Parse(RunPython(path));
        var root = doc.RootElement;
        Assert.Equal(w, root.GetProperty("w").GetInt32());
        Assert.Equal(h, root.GetProperty("h").GetInt32());
        Assert.Equal(16, root.GetProperty("depth").GetInt32());
        Assert.Equal(0, root.GetProperty("ctype").GetInt32());
        Assert.Equal(expected, root.GetProperty("v").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Write_HostileIds_StayInsideTheScanFolder()
    {
        var dir = RepoPaths.NewTempDir();
        var paths = SaliencyMapFiles.Write(dir, "../../etc", [new SaliencyMap("../x/y", 0, 1, 1, [0.5f])]);
        var path = Assert.Single(paths);
        var saliency = Path.Combine(dir, "saliency") + Path.DirectorySeparatorChar;
        Assert.StartsWith(saliency, Path.GetFullPath(path), StringComparison.Ordinal);
        // One folder level below saliency/, no dot segment, no separator inside the names.
        var relative = Path.GetRelativePath(Path.Combine(dir, "saliency"), path).Split(Path.DirectorySeparatorChar);
        Assert.Equal(2, relative.Length);
        Assert.DoesNotContain(relative, s => s is "." or ".." || s.StartsWith('.'));
        Assert.EndsWith("_any.png", relative[1], StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("ID_0123abcd")]
    [InlineData("1.2.840.113619.2.55.3")]
    [InlineData("phantom-1-00001")]
    public void SafePathSegment_SafeIds_AreKeptVerbatim(string id) => Assert.Equal(id, SafePathSegment.From(id));

    [Fact]
    public void SafePathSegment_DifferentUnsafeIds_NeverCollide()
    {
        // "a/b" and "a?b" both become "a_b" before the hash suffix; the suffix keeps them apart.
        var one = SafePathSegment.From("a/b");
        var two = SafePathSegment.From("a?b");
        Assert.StartsWith("a_b-", one, StringComparison.Ordinal);
        Assert.NotEqual(one, two);
        Assert.NotEqual("a_b", SafePathSegment.From("a b")); // the verbatim safe id "a_b" stays distinct too
        Assert.Matches("^_-[0-9a-f]{8}$", SafePathSegment.From(""));
        Assert.Matches("^_-[0-9a-f]{8}$", SafePathSegment.From("."));
        Assert.True(SafePathSegment.From(new string('x', 500)).Length <= SafePathSegment.MaxLength + 9);
    }

    [Fact]
    public void Write_ValueOutsideAbsoluteScale_IsRefused()
    {
        var dir = RepoPaths.NewTempDir();
        Assert.Throws<ArgumentException>(() => SaliencyMapFiles.Write(dir, "s", [new SaliencyMap("a", 0, 2, 1, [0.2f, 1.5f])]));
        Assert.Throws<ArgumentException>(() => SaliencyMapFiles.Write(dir, "s", [new SaliencyMap("a", 0, 2, 1, [0.2f, float.NaN])]));
        Directory.Delete(dir, true);
    }

    private static string RunPython(string pngPath)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(PythonPngReader);
        psi.ArgumentList.Add(pngPath);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "python3 PNG reader timed out");
        Assert.True(process.ExitCode == 0, "python3 PNG reader failed: " + stderr.Result);
        return stdout.Result;
    }
}

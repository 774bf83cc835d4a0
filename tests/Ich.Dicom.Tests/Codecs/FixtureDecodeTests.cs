using System.Buffers.Binary;
using Ich.Core.Text;
using Ich.Dicom.Codecs;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>
/// Decodes the committed fixtures (tests/fixtures/codecs, made by tools/codecs/make_fixtures.py with
/// DCMTK and libjpeg-turbo) and compares every sample with the reference: the original pixels for
/// lossless streams, the IJG decoders' output for lossy ones.
/// </summary>
public sealed class FixtureDecodeTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var row in Index().Rows) data.Add(row[0]);
        return data;
    }

    private static CsvTable Index() => CsvTable.Read(Path.Combine(RepoPaths.Fixtures, "codecs", "index.csv"));

    [Theory]
    [MemberData(nameof(Names))]
    public void Decode_Fixture_MatchesReferenceWithinTolerance(string name)
    {
        var table = Index();
        var row = table.Rows.Single(r => r[0] == name);
        int Int(string column) => int.Parse(row[table.Require(column)]);
        var info = new FrameInfo(Int("rows"), Int("cols"), Int("samples"), Int("bits_allocated"), Int("bits_stored"),
            Int("signed") == 1, 0, name, row[table.Require("photometric")]);
        var decoder = FrameDecoders.Find(row[table.Require("transfer_syntax")]);
        Assert.NotNull(decoder);

        var dir = Path.Combine(RepoPaths.Fixtures, "codecs");
        var decoded = decoder.Decode(File.ReadAllBytes(Path.Combine(dir, name + ".bin")), info);
        var expected = File.ReadAllBytes(Path.Combine(dir, name + ".raw"));

        Assert.Equal(expected.Length, decoded.Length);
        int tolerance = Int("tolerance");
        if (tolerance == 0)
        {
            Assert.Equal(expected, decoded);
            return;
        }
        int bytes = info.BitsAllocated / 8;
        long worst = 0;
        for (int i = 0; i < expected.Length; i += bytes)
            worst = Math.Max(worst, Math.Abs(Sample(expected, i, bytes) - Sample(decoded, i, bytes)));
        Assert.True(worst <= tolerance, $"{name}: largest sample difference {worst} exceeds {tolerance}");
    }

    [Fact]
    public void Decode_AllFixturesConcurrently_SameBytesAsSequential()
    {
        // Decoders are shared singletons (FrameDecoders) used from many threads: no state may leak between calls.
        var fixtures = CodecFixture.All;
        var sequential = fixtures.Select(f => f.Decoder.Decode(f.Stream, f.Info)).ToArray();
        var parallel = new byte[fixtures.Count * 8][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => parallel[i] = fixtures[i % fixtures.Count].Decoder.Decode(fixtures[i % fixtures.Count].Stream, fixtures[i % fixtures.Count].Info));
        for (int i = 0; i < parallel.Length; i++) Assert.Equal(sequential[i % fixtures.Count], parallel[i]);
    }

    private static long Sample(byte[] data, int at, int bytes) => bytes switch
    {
        1 => data[at],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at)),
        _ => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at)),
    };
}

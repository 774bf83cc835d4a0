using Ich.Core.Text;
using Ich.Dicom.Codecs;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>A committed codec fixture: its codestream, the frame description and the decoder for its syntax.</summary>
internal sealed record CodecFixture(string Name, byte[] Stream, FrameInfo Info, IFrameDecoder Decoder, string TransferSyntax)
{
    public static IReadOnlyList<CodecFixture> All { get; } = Load();

    public static CodecFixture Get(string name) => All.Single(f => f.Name == name);

    private static List<CodecFixture> Load()
    {
        var dir = Path.Combine(RepoPaths.Fixtures, "codecs");
        var table = CsvTable.Read(Path.Combine(dir, "index.csv"));
        return table.Rows.Select(row =>
        {
            int Int(string column) => int.Parse(row[table.Require(column)]);
            var name = row[table.Require("name")];
            var ts = row[table.Require("transfer_syntax")];
            var info = new FrameInfo(Int("rows"), Int("cols"), Int("samples"), Int("bits_allocated"), Int("bits_stored"),
                Int("signed") == 1, 0, $"fixtures/codecs/{name}.bin", row[table.Require("photometric")]);
            var decoder = FrameDecoders.Find(ts) ?? throw new InvalidOperationException($"no decoder for {ts}");
            return new CodecFixture(name, File.ReadAllBytes(Path.Combine(dir, name + ".bin")), info, decoder, ts);
        }).ToList();
    }
}

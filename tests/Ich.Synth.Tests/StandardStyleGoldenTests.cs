using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ich.Synth.Output;

namespace Ich.Synth.Tests;

/// <summary>
/// The standard style is frozen: phantom sets already generated (training seed 1000, samples/phantom-study) must
/// be reproducible bit for bit by later generator versions. The digest covers everything a scan writes that the
/// pipeline reads: geometry, encoding, file names, UIDs, every stored pixel and every mask bit. It was taken from
/// the generator before styles existed (commit fd1c6ce); if it changes, the standard phantoms changed.
/// </summary>
public class StandardStyleGoldenTests
{
    [Theory]
    [InlineData(1000UL, 96, null, 4, "0adbaf02f086e946304237ef662efac2aebaf1f11b8180bbab534a4df68e92e0")]
    [InlineData(7UL, 64, 3.0, 2, "ff59525cfbcca240da3c2062aad3836ac027c1c6127696a313c27827b4ed14fb")]
    [InlineData(777UL, 64, null, 3, "c9a8b33cc940daad0d4932fc7a4638977cceec7626444ed776b5453ce08371d6")]
    [InlineData(1UL, 64, 0.625, 1, "b7a50f6f583b37b8cb6c6dbd37f366bda847722ff1764d8b7ce6e9054a541a8c")]
    public void StandardStyle_IsBitIdenticalToTheGeneratorBeforeStyles(ulong seed, int size, double? thicknessMm, int scans, string digest)
    {
        var options = new SynthOptions { Seed = seed, Size = size, ThicknessMm = thicknessMm };
        Assert.Equal(digest, Digest(options, scans));
    }

    internal static string Digest(SynthOptions options, int scans)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s) => sha.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        for (var i = 0; i < scans; i++)
        {
            var plan = ScanPlanner.Plan(options, i);
            Text(PhantomGenerator.ScansCsvRow(PhantomGenerator.Labels(options, i)));
            Text(string.Join(',', plan.FileNames));
            Text(string.Join(',', plan.SopUids));
            Text(string.Join(',', plan.SliceZ.Select(z => z.ToString("R", CultureInfo.InvariantCulture))));
            for (var k = 0; k < plan.SliceCount; k++)
            {
                var slice = PhantomGenerator.RenderSlice(plan, k);
                var stored = PhantomDicom.Store(plan, slice.Hu!, slice.InsideFov);
                var bytes = new byte[stored.Length * 2];
                for (var p = 0; p < stored.Length; p++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(p * 2), stored[p]);
                sha.AppendData(bytes);
                sha.AppendData(slice.Mask);
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

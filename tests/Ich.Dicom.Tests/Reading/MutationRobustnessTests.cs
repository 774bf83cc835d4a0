using Ich.Core.Errors;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Reading;

/// <summary>
/// Seeded random corruption of the committed native-syntax fixtures (byte flips, overwritten length
/// fields, truncation): the reader must either succeed or raise a typed <see cref="IchException"/>
/// naming the file — never an IndexOutOfRange/Overflow/NullReference, never a hang.
/// </summary>
public sealed class MutationRobustnessTests
{
    public static IEnumerable<object[]> Fixtures() =>
    [
        ["CT_small.dcm"], ["MR_small_implicit.dcm"], ["MR_small_bigendian.dcm"], ["rtdose.dcm"], ["image_dfl.dcm"],
        ["priv_SQ.dcm"], ["UN_sequence.dcm"], ["liver_1frame.dcm"], ["SC_rgb_small_odd.dcm"], ["MR_small_RLE.dcm"],
    ];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ReadAndDecode_CorruptedCopies_SucceedOrFailTyped(string fixture)
    {
        var original = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "dicom", fixture));
        var random = new Random(fixture.Length * 7919);
        var headerEnd = Math.Min(original.Length, 2048); // mutate where the structure is
        for (var trial = 0; trial < 300; trial++)
        {
            var bytes = (byte[])original.Clone();
            switch (trial % 3)
            {
                case 0:
                    for (var k = 0; k < 4; k++) bytes[random.Next(headerEnd)] = (byte)random.Next(256);
                    break;
                case 1:
                    var at = random.Next(headerEnd - 4);
                    BitConverter.GetBytes(random.Next(4) switch { 0 => 0xFFFFFFFFu, 1 => 0xFFFFFFF0u, 2 => 0x80000000u, _ => (uint)random.Next() })
                        .CopyTo(bytes, at);
                    break;
                default:
                    Array.Resize(ref bytes, random.Next(bytes.Length));
                    break;
            }
            var name = $"{fixture}#{trial}";
            try
            {
                var file = DicomFileReader.Read(bytes, name);
                DicomFileReader.Read(bytes, name, DicomReadOptions.Header);
                if (file.HasPixelData)
                {
                    var pixels = DicomPixelData.Create(file);
                    StoredPixelHash.Compute(pixels);
                    pixels.GetModalityTransform();
                }
            }
            catch (IchException e)
            {
                Assert.Equal(name, e.Path);
            }
        }
    }
}

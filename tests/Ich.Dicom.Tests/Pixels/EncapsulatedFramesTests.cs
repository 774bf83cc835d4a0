using Ich.Core.Errors;
using Ich.Dicom.Pixels;

namespace Ich.Dicom.Tests.Pixels;

public sealed class EncapsulatedFramesTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0];
    private static readonly byte[] Continuation = [0x12, 0x34, 0x56, 0x78];

    private static ReadOnlyMemory<byte>[] Items(byte[] bot, params byte[][] fragments) =>
        [bot, .. fragments.Select(f => (ReadOnlyMemory<byte>)f)];

    private static byte[] Bot(params uint[] offsets) => offsets.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Split_BasicOffsetTable_GroupsFragmentsByOffset()
    {
        // Fragments of 4, 4 and 6 bytes: item starts at 0, 12, 24 (8-byte item headers counted).
        var ranges = EncapsulatedFrames.Split(Items(Bot(0, 24), Jpeg, Continuation, new byte[6]), 2, null, "f");
        Assert.Equal([new FragmentRange(0, 2), new FragmentRange(2, 1)], ranges);
    }

    [Fact]
    public void Split_EmptyOffsetTableOneFragmentPerFrame_MapsOneToOne()
    {
        var ranges = EncapsulatedFrames.Split(Items([], Continuation, Continuation, Continuation), 3, null, "f");
        Assert.Equal([new FragmentRange(0, 1), new FragmentRange(1, 1), new FragmentRange(2, 1)], ranges);
    }

    [Fact]
    public void Split_EmptyOffsetTableSeveralFragmentsPerFrame_SplitsAtCodestreamStarts()
    {
        var ranges = EncapsulatedFrames.Split(Items([], Jpeg, Continuation, Continuation, Jpeg, Continuation), 2, null, "f");
        Assert.Equal([new FragmentRange(0, 3), new FragmentRange(3, 2)], ranges);
    }

    [Fact]
    public void Split_SingleFrame_JoinsAllFragments()
    {
        Assert.Equal([new FragmentRange(0, 3)], EncapsulatedFrames.Split(Items(Bot(0), Jpeg, Continuation, Continuation), 1, null, "f"));
    }

    [Fact]
    public void Split_ExtendedOffsetTable_TakesPrecedence()
    {
        var ranges = EncapsulatedFrames.Split(Items([], Jpeg, Continuation, Jpeg), 2, [0, 24], "f");
        Assert.Equal([new FragmentRange(0, 2), new FragmentRange(2, 1)], ranges);
    }

    [Fact]
    public void Split_OffsetInsideAFragment_Fails()
    {
        var e = Assert.Throws<DicomFormatException>(() => EncapsulatedFrames.Split(Items(Bot(0, 13), Jpeg, Continuation), 2, null, "f"));
        Assert.Contains("does not point at the start of a fragment", e.Reason);
    }

    [Fact]
    public void Split_EmptyTableAndNoCodestreamMarkers_Fails()
    {
        var e = Assert.Throws<DicomFormatException>(() => EncapsulatedFrames.Split(Items([], Continuation, Continuation, Continuation), 2, null, "f"));
        Assert.Contains("cannot split 3 fragments into 2 frames", e.Reason);
    }

    [Fact]
    public void Split_NoFragments_Fails()
    {
        Assert.Throws<DicomFormatException>(() => EncapsulatedFrames.Split(Items([]), 1, null, "f"));
    }
}

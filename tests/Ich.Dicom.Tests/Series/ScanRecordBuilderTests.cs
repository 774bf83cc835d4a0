using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Dicom.Series;
using static Ich.Dicom.Tests.Series.Headers;

namespace Ich.Dicom.Tests.Series;

public class ScanRecordBuilderTests
{
    [Fact]
    public void Build_SelectedSeries_SlicesLowestFirstWithUidsAndPositions()
    {
        var headers = new[] { Slice("c", 0, 0, 12), Slice("a", 0, 0, 2), Slice("b", 0, 0, 7) }
            .Select(h => h with { SliceThicknessMm = 5 });
        var series = SeriesAssembler.AssembleHeaders(headers).Studies[0].SelectedSeries!;
        var loaded = new List<string>();
        var options = new ScanRecordOptions
        {
            SliceLoader = (header, _) => { loaded.Add(header.Path); return new HuImage(1, 1, [0f]); },
        };

        var scan = ScanRecordBuilder.Build(series, options);

        Assert.Equal("dicom", scan.Dataset);
        Assert.Equal("P1", scan.PatientId);
        Assert.Equal("1.2.3.1", scan.ScanId);
        Assert.Equal(["a", "b", "c"], scan.Slices.Select(s => s.SliceId));
        Assert.Equal([0, 1, 2], scan.Slices.Select(s => s.Index));
        Assert.Equal([2.0, 7.0, 12.0], scan.Slices.Select(s => s.ZMm));
        Assert.Equal(5.0, scan.SliceThicknessMm);
        Assert.Empty(loaded); // nothing decoded until asked
        scan.Slices[1].LoadHu();
        Assert.Equal(["/data/b.dcm"], loaded);
    }

    [Fact]
    public void Build_NoPatientIdAndStudyScanId_FallsBackToStudyUid()
    {
        var headers = new[] { Slice("a", 0, 0, 0, patient: null), Slice("b", 0, 0, 5, patient: null) };
        var series = SeriesAssembler.AssembleHeaders(headers).Studies[0].Series[0];

        var scan = ScanRecordBuilder.Build(series, new ScanRecordOptions { ScanId = ScanIdSource.StudyInstanceUid });

        Assert.Equal("1.2.3", scan.PatientId);
        Assert.Equal("1.2.3", scan.ScanId);
    }

    [Fact]
    public void Build_SeriesWithoutSlices_ThrowsSeriesGeometryException()
    {
        var headers = new[] { Slice("m", 0, 0, 0, modality: "MR") };
        var series = SeriesAssembler.AssembleHeaders(headers).Studies[0].Series[0];

        Assert.Throws<SeriesGeometryException>(() => ScanRecordBuilder.Build(series));
    }
}

using System.Diagnostics;
using System.Globalization;
using Ich.Core.Scans;
using Ich.Model.Cnn;
using Ich.Model.Runtime;
using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Bench;

/// <summary>
/// <c>cnn-train</c>: training cost of every backbone at 256 px on this machine — ms per slice for the whole
/// step (batch from the byte cache, augmentation, forward, backward, Adam) and the process's peak RSS. Each
/// backbone runs in its own child process so its peak RSS is its own. Baseline: the "tinys" network of
/// docs (5 × [conv3 stride 2-BN-ReLU]) measured in the same run. For <c>small</c> the cache holds 10 000
/// slices, so the 10k-slices-per-epoch goal (≤ 5 min, peak RSS ≤ 6 GB) is checked directly.
/// Usage: bench/run cnn-train [backbone ...] [--size N] [--steps N]
/// </summary>
public sealed class CnnTrainBenchmark : IBenchmark
{
    public string Name => "cnn-train";
    public string Description => "CNN training ms/slice and peak RSS per backbone at 256 px (10k-slice goal for `small`)";

    private static readonly string[] Default = ["small", "resnet18", "resnet34", "resnet18-imagenet", "densenet121", "densenet169", "se_resnext101_32x4d"];

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child") return Child(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        var size = BenchArgs.IntOption(args, "--size", 256);
        var steps = BenchArgs.IntOption(args, "--steps", 4);
        var names = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (names.Count == 0) names = Default.ToList();
        names.Insert(0, "tinys-baseline");

        var results = new List<(string Name, double Ms, double RssMb)>();
        foreach (var name in names)
        {
            var psi = new ProcessStartInfo(Environment.ProcessPath!, [typeof(CnnTrainBenchmark).Assembly.Location, Name, "--child", name, size.ToString(CultureInfo.InvariantCulture), steps.ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            if (p.ExitCode != 0 || line is null) { Console.WriteLine($"{name}: child failed (exit {p.ExitCode})\n{output}"); return 1; }
            var parts = line.Split(' ');
            results.Add((name, double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture)));
            Console.WriteLine($"{name,-22} {results[^1].Ms,8:F1} ms/slice   peak RSS {results[^1].RssMb,7:F0} MB");
        }
        var baseline = results[0].Ms;
        Console.WriteLine($"\nat {size} px; ratio = ms/slice ÷ tinys baseline ({baseline:F1} ms/slice, same run)");
        foreach (var r in results.Skip(1))
            Console.WriteLine($"{r.Name,-22} ×{r.Ms / baseline,6:F2}   10k slices/epoch ≈ {r.Ms * 10000 / 60000,6:F1} min");
        var small = results.FirstOrDefault(r => r.Name == "small");
        if (small.Name is not null)
        {
            var minutes = small.Ms * 10000 / 60000;
            var ok = minutes <= 5 && small.RssMb <= 6144;
            Console.WriteLine($"goal `small`: 10k slices/epoch in {minutes:F2} min (≤ 5), peak RSS {small.RssMb / 1024:F2} GB with a 10k-slice cache (≤ 6): {(ok ? "MET" : "NOT MET")}");
        }
        return 0;
    }


    private static int Child(string backbone, int size, int steps)
    {
        TorchRuntime.Initialize();
        var batch = backbone switch { "densenet121" or "densenet169" => 8, "se_resnext101_32x4d" => 4, _ => 16 };
        var cacheSlices = backbone == "small" ? 10_000 : batch * (steps + 1);
        var table = new SliceTable(SyntheticScans(cacheSlices, size), size);
        table.Preload();
        using var model = backbone == "tinys-baseline" ? (nn.Module<Tensor, Tensor>)new TinyS() : CnnFactory.Create(backbone, 1);
        model.train();
        using var opt = optim.Adam(model.parameters(), 5e-4, weight_decay: 2e-5);
        using var w = tensor(new float[] { 2, 1, 1, 1, 1, 1 }).view(1, 6);
        var aug = new AugmentConfig();
        var rng = new Random(1);
        double Step(int s)
        {
            var idx = Enumerable.Range(0, batch).Select(i => (s * batch + i * 977) % table.Slices.Count).ToArray();
            var sw = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                var x = Augmenter.Train(Augmenter.Stack(table, idx, CPU), aug, rng);
                var y = tensor(idx.SelectMany(i => table.Slices[i].Labels!).ToArray(), [batch, 6]);
                opt.zero_grad();
                var loss = (nn.functional.binary_cross_entropy_with_logits(model.call(x), y, reduction: nn.Reduction.None) * w).sum() / (batch * 7f);
                loss.backward();
                opt.step();
            }
            return sw.Elapsed.TotalMilliseconds / batch;
        }
        Step(0); // warm-up
        var times = Enumerable.Range(1, steps).Select(Step).OrderBy(t => t).ToArray();
        var median = times[times.Length / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {backbone} {median:F2} {PeakRssMb():F0}"));
        return 0;
    }

    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static List<ScanRecord> SyntheticScans(int slices, int size)
    {
        const int perScan = 40;
        var scans = new List<ScanRecord>();
        for (var s = 0; s * perScan < slices; s++)
        {
            var list = new List<SliceRecord>();
            for (var i = 0; i < perScan && s * perScan + i < slices; i++)
            {
                var seed = s * perScan + i;
                var positive = seed % 3 == 0;
                list.Add(new SliceRecord($"{seed}", i, i * 5.0, positive ? [1, 0, 1, 0, 0, 0] : [0, 0, 0, 0, 0, 0], () => Phantom(size, seed, positive)));
            }
            scans.Add(new ScanRecord("bench", $"P{s}", $"S{s}", list));
        }
        return scans;
    }

    private static HuImage Phantom(int size, int seed, bool blob)
    {
        var px = new float[size * size];
        var c = size / 2.0;
        var bx = size * (0.3 + 0.4 * (seed % 7) / 7.0);
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var r = Math.Sqrt((x - c) * (x - c) + (y - c) * (y - c)) / (size * 0.45);
                var hu = r > 1 ? -1000 : r > 0.9 ? 1000 : 30 + 5 * Math.Sin(0.2 * x + seed) * Math.Cos(0.15 * y);
                if (blob && r < 0.9 && (x - bx) * (x - bx) + (y - c) * (y - c) < size * size / 80.0) hu = 70;
                px[y * size + x] = (float)hu;
            }
        return new HuImage(size, size, px);
    }

    /// <summary>The baseline of docs/torchsharp-notes.md: 5 × [conv3 stride 2-BN-ReLU] (24/32/64/128/256) → GAP → Linear(6).</summary>
    private sealed class TinyS : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Sequential body;
        private readonly TorchSharp.Modules.Linear head;

        public TinyS() : base("TinyS")
        {
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
            var inCh = 3;
            foreach (var (ch, i) in new[] { 24, 32, 64, 128, 256 }.Select((c, i) => (c, i)))
            {
                layers.Add(($"c{i}", nn.Conv2d(inCh, ch, 3, stride: 2, padding: 1, bias: false)));
                layers.Add(($"b{i}", nn.BatchNorm2d(ch)));
                layers.Add(($"r{i}", nn.ReLU(inplace: true)));
                inCh = ch;
            }
            body = nn.Sequential(layers);
            head = nn.Linear(256, 6);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => head.call(nn.functional.adaptive_avg_pool2d(body.call(x), [1, 1]).flatten(1));
    }
}

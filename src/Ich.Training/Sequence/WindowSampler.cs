using Ich.Model.Sequence;

namespace Ich.Training.Sequence;

/// <summary>
/// The released training augmentation for one scan: with probability p keep only even or only odd
/// slices (scans longer than a minimum; Δz doubles), then a random contiguous window, then with
/// probability p reverse the order. Shorter scans are padded by the batch builder (and masked).
/// </summary>
public sealed class WindowSampler(int window, double everyOtherProbability, int everyOtherMinSlices, double reverseProbability)
{
    public SequenceView Sample(SequenceScanData scan, Random rng)
    {
        IEnumerable<int> indices = Enumerable.Range(0, scan.Length);
        if (scan.Length > everyOtherMinSlices && rng.NextDouble() < everyOtherProbability)
        {
            var parity = rng.Next(2);
            indices = indices.Where(i => i % 2 == parity);
        }
        var list = indices.ToArray();
        if (list.Length > window)
        {
            var start = rng.Next(list.Length - window + 1);
            list = list[start..(start + window)];
        }
        if (rng.NextDouble() < reverseProbability) Array.Reverse(list);
        return new SequenceView(scan, list);
    }
}

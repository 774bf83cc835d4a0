using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// Runs a batch-first bidirectional GRU over variable-length scans through a packed sequence, so the
/// backward direction starts at each scan's last real slice rather than at the padding.
/// </summary>
internal static class PackedGru
{
    /// <param name="gru">batch-first GRU.</param>
    /// <param name="x">[B, L, In] with padding after each scan's length.</param>
    /// <param name="lengths">Real length per scan.</param>
    /// <returns>[B, L, directions·H], zero at padded positions.</returns>
    public static Tensor Run(GRU gru, Tensor x, long[] lengths)
    {
        var total = x.shape[1];
        using var lengthTensor = tensor(lengths, dtype: ScalarType.Int64);
        using var packed = nn.utils.rnn.pack_padded_sequence(x, lengthTensor, batch_first: true, enforce_sorted: false);
        var (output, hidden) = gru.call(packed, null);
        hidden.Dispose();
        using (output)
        {
            var (padded, outLengths) = nn.utils.rnn.pad_packed_sequence(output, batch_first: true, padding_value: 0, total_length: total);
            outLengths.Dispose();
            return padded;
        }
    }
}

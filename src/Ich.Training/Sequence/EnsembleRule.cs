using System.Text.Json.Serialization;

namespace Ich.Training.Sequence;

/// <summary>How packaging chooses the outputs the model averages into its answer (<c>model.ensemble</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnsembleRule>))]
public enum EnsembleRule
{
    /// <summary>Every system's SeqModel2, unweighted: the released code's ensemble, chosen by nobody's data.</summary>
    [JsonStringEnumMemberName("mean-seqmodel2")] MeanSeqModel2,

    /// <summary>
    /// Every system's SeqModel1 and SeqModel2, unweighted: both outputs each sequence network is trained on, from every
    /// system, so no data chooses it and no system is dropped. Not in the released code.
    /// </summary>
    [JsonStringEnumMemberName("mean-all")] MeanAll,

    /// <summary>
    /// The subset of the systems' SeqModel1 and SeqModel2 outputs whose mean has the lowest out-of-fold weighted log-loss. The
    /// choice is cross-validated: each sequence fold's out-of-fold predictions come from the subset chosen on the other folds'
    /// scans only, so the reported out-of-fold numbers score the selection procedure and not a choice made on them. The
    /// shipped subset is the one chosen on all folds.
    /// </summary>
    [JsonStringEnumMemberName("cv-selected")] CvSelected,
}

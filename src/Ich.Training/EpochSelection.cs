using System.Text.Json.Serialization;

namespace Ich.Training;

/// <summary>
/// Which epoch's weights a fold keeps. Choosing the epoch by the fold's own validation loss makes that fold's
/// out-of-fold predictions (and every cross-validated number built on them) optimistic, because the scored data
/// took part in the choice; <see cref="Last"/> keeps the fixed-length schedule's final weights, so nothing scored
/// is used for selection.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<EpochSelection>))]
public enum EpochSelection
{
    /// <summary>The epoch with the lowest validation loss of the fold (the released code's behaviour).</summary>
    [JsonStringEnumMemberName("best-val-loss")] BestValidationLoss,
    /// <summary>The final epoch of the fixed schedule: no selection on the validation fold.</summary>
    [JsonStringEnumMemberName("last")] Last,
}

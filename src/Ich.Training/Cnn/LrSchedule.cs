namespace Ich.Training.Cnn;

/// <summary>Learning rate as a pure function of training progress (epochs as a real number), so resume needs no scheduler state.</summary>
public static class LrSchedule
{
    /// <param name="config">Schedule settings.</param>
    /// <param name="progress">Epochs done, fractional (epoch + batch / batchesPerEpoch).</param>
    public static double At(CnnTrainConfig config, double progress)
    {
        if (config.Schedule == "constant" || progress < config.ConstantEpochs) return config.Lr;
        var t = progress - config.ConstantEpochs;
        double fraction;
        if (config.Schedule == "cosine")
        {
            var span = Math.Max(1, config.Epochs - config.ConstantEpochs);
            fraction = Math.Min(1, t / span);
        }
        else
        {
            double period = config.RestartPeriod;
            while (t >= period) { t -= period; period *= config.RestartMult; }
            fraction = t / period;
        }
        return config.MinLr + (config.Lr - config.MinLr) * 0.5 * (1 + Math.Cos(Math.PI * fraction));
    }
}

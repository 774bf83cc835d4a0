using Ich.Application.Prediction;
using Ich.Training.Cnn;
using Spectre.Console;

namespace Ich.Cli.Commands;

/// <summary>Spectre.Console progress bars (with ETA) for <see cref="TrainProgress"/> reports: one bar per phase.</summary>
internal static class ProgressDisplay
{
    public static void Run(Action<IProgress<TrainProgress>> work)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and CI: a line per finished phase instead of redrawn bars.
            work(new SyncProgress<TrainProgress>(p => { if (p.Done == p.Total) Console.WriteLine($"{p.Display}: {p.Done}/{p.Total}"); }));
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                work(new SyncProgress<TrainProgress>(p =>
                {
                    var label = p.Display;
                    if (!tasks.TryGetValue(label, out var task))
                        tasks[label] = task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, p.Total));
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }));
            });
    }
}

using System.Globalization;
using ServeNet.Core.Training;
using Spectre.Console;

namespace ServeNet.Training.Commands;

/// <summary>
/// A progress bar per epoch with the running loss, then one line per epoch with the selection metric.
/// Without an interactive terminal (CI, redirected output) only the per-epoch lines are printed.
/// </summary>
internal sealed class ConsoleProgress(string metricName) : ITrainingProgress
{
    private readonly bool _interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private ProgressTask? _task;
    private ProgressContext? _context;
    private TaskCompletionSource? _done;
    private Task? _renderer;

    public void Message(string text) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");

    public void EpochStarted(int epoch, int steps)
    {
        if (!_interactive) return;
        var ready = new TaskCompletionSource();
        _done = new TaskCompletionSource();
        _renderer = AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                _context = context;
                _task = context.AddTask($"epoch {epoch}", maxValue: steps);
                ready.SetResult();
                await _done.Task;
            });
        ready.Task.Wait();
    }

    public void StepFinished(int step, double meanLoss)
    {
        if (_task is null) return;
        _task.Value = step;
        if (step % 20 == 0) _task.Description = string.Create(CultureInfo.InvariantCulture, $"loss {meanLoss:F4}");
    }

    public void EpochFinished(EpochRecord record, bool best)
    {
        if (_done is not null)
        {
            _done.SetResult();
            _renderer!.Wait();
            _task = null;
            _done = null;
        }
        // A refit epoch has no selection metric: only the loss.
        AnsiConsole.MarkupLine(double.IsNaN(record.Metric)
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {record.Epoch,3}  loss {record.TrainLoss:F4}  {record.Seconds:F2}s")
            : string.Create(CultureInfo.InvariantCulture,
                $"epoch {record.Epoch,3}  loss {record.TrainLoss:F4}  {metricName} [bold]{record.Metric * 100:F2}[/]  {record.Seconds:F2}s{(best ? "  [green]best[/]" : "")}"));
    }
}

using ServeNet.Core.Checkpoints;
using ServeNet.Training;
using ServeNet.Training.Data;

try
{
    return TrainerCommandLine.Build().Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is DataFormatException or CheckpointException or ArgumentException or FormatException)
{
    // Expected failures (bad file, bad option value) get one clear line, not a stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

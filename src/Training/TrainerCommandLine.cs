using System.CommandLine;
using ServeNet.Training.Commands.Evaluate;
using ServeNet.Training.Commands.ScoreConll;
using ServeNet.Training.Commands.TrainNer;
using ServeNet.Training.Commands.TrainSentiment;

namespace ServeNet.Training;

/// <summary>
/// The trainer's command line: "train sentiment", "train ner" and "evaluate". Built here so tests
/// can parse and invoke exactly what users type.
/// </summary>
public static class TrainerCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ServeNet trainer: trains and evaluates the sentiment and NER models on real corpora.");
        var train = new Command("train", "Train a model and write its checkpoint, report and learning curves");
        train.Subcommands.Add(TrainSentimentCommand.Build());
        train.Subcommands.Add(TrainNerCommand.Build());
        root.Subcommands.Add(train);
        root.Subcommands.Add(EvaluateCommand.Build());
        root.Subcommands.Add(ScoreConllCommand.Build());
        return root;
    }
}

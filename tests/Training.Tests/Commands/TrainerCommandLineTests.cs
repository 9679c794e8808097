using System.Text.Json.Nodes;
using ServeNet.Core.Models;
using ServeNet.Core.Ner;
using ServeNet.Core.Sentiment;

namespace ServeNet.Training.Tests.Commands;

/// <summary>The trainer's command line end to end on a tiny corpus (one class: these tests capture the console).</summary>
public sealed class TrainerCommandLineTests : IDisposable
{
    private readonly TinyCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    private static (int ExitCode, string Output, string Errors) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var (oldOut, oldError, oldAnsi) = (Console.Out, Console.Error, Spectre.Console.AnsiConsole.Console);
        Console.SetOut(output);
        Console.SetError(errors);
        // Spectre's console keeps the writer it first saw: give it this call's, so log lines are captured too.
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output), Ansi = Spectre.Console.AnsiSupport.No, ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
        });
        try
        {
            int code = TrainerCommandLine.Build().Parse(args).Invoke(new System.CommandLine.InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false, Output = output, Error = errors,
            });
            return (code, output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
            Spectre.Console.AnsiConsole.Console = oldAnsi;
        }
    }

    // The shipped defaults read SST phrases and IMDB from ../shared/data; these runs train on the tiny corpus's sentences alone.
    private static readonly string[] SentencesOnly = ["--phrases", "none", "--imdb", "none", "--in-domain", "none", "--pretrain-epochs", "0"];

    private static JsonObject LastLineJson(string output) =>
        (JsonObject)JsonNode.Parse(output.TrimEnd().Split('\n')[^1])!;

    [Fact]
    public void TrainSentiment_ThenEvaluate_WritesCheckpointReportCurvesAndJson()
    {
        string output = Path.Combine(_corpus.Directory, "out", "sentiment.ckpt");
        var (code, text, errors) = Invoke(["train", "sentiment", "--data", _corpus.SstDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "8", "--hidden", "16", "--batch-size", "8", "--lr", "0.01", "--seed", "3", "--ngrams", "2", .. SentencesOnly]);
        Assert.True(code == 0, errors);
        Assert.True(File.Exists(output));
        Assert.True(File.Exists(Path.ChangeExtension(output, null) + ".report.md"));
        Assert.True(new FileInfo(Path.ChangeExtension(output, null) + ".curves.png").Length > 1000);
        Assert.True(LastLineJson(text)["accuracy"]!.GetValue<double>() >= 0.75, text);

        var model = TextClassifier.Load(output);
        Assert.Equal("positive", model.Classify("A wonderful, gorgeous film!").Label);
        Assert.Contains("training", File.ReadAllText(Path.ChangeExtension(output, null) + ".report.md").ToLowerInvariant());

        var (evalCode, evalText, _) = Invoke("evaluate", "--model", output, "--data", Path.Combine(_corpus.SstDirectory, "dev.tsv"));
        Assert.Equal(0, evalCode);
        var json = LastLineJson(evalText);
        Assert.Equal(4, json["examples"]!.GetValue<int>());
        Assert.InRange(json["accuracy"]!.GetValue<double>(), 0, 1);
    }

    [Fact]
    public void TrainSentiment_EverySource_HeldOutSelectionCalibrationAndCachedVectors()
    {
        string output = Path.Combine(_corpus.Directory, "all", "sentiment.ckpt");
        string cache = Path.Combine(_corpus.Directory, "vectors");
        string[] args = ["train", "sentiment", "--data", _corpus.SstDirectory, "--embeddings", _corpus.Embeddings, "--output", output,
            "--phrases", _corpus.PhrasesFile, "--imdb", _corpus.ImdbDirectory, "--in-domain", "concat", "--in-domain-words", "50",
            "--skipgram-epochs", "2", "--skipgram-dim", "6", "--cache", cache, "--pretrain-epochs", "1", "--weak-per-epoch", "8", "--hold-out", "0.25",
            "--scope-operators", "2", "--typo-fallback", "true", "--epochs", "3", "--hidden", "8", "--batch-size", "8", "--seed", "5"];
        var (code, text, errors) = Invoke(args);
        Assert.True(code == 0, errors + text);
        Assert.Contains("cached as", text);
        Assert.Single(Directory.GetFiles(cache, "*.bin"));
        Assert.Contains("pre-training", text);
        Assert.Contains("weak labels", text);

        var summary = LastLineJson(text);
        Assert.Equal("held-out", summary["selectedOn"]!.GetValue<string>());
        var model = TextClassifier.Load(output);
        Assert.Equal(summary["temperature"]!.GetValue<double>(), model.Temperature, 3);
        Assert.Equal(8 + 6, model.Network.Input.OutputSize); // GloVe (8) beside the in-domain vectors (6)
        Assert.True(model.Bag.ScopeOperators == 2 && model.Bag.TypoFallback);
        Assert.True(new FileInfo(Path.ChangeExtension(output, null) + ".reliability.png").Length > 1000);
        Assert.Contains("## Calibration", File.ReadAllText(Path.ChangeExtension(output, null) + ".report.md"));

        // The second run reads the vectors from the cache and, with the same seed, gives the same model.
        var (again, secondText, secondErrors) = Invoke(args);
        Assert.True(again == 0, secondErrors);
        Assert.Contains("loaded from", secondText);
        Assert.Equal(model.Info.Version, TextClassifier.Load(output).Info.Version);
    }

    [Fact]
    public void TrainSentiment_WithoutOutput_WritesARunFolderNamedByVersionAndPrintsThePromoteCommand()
    {
        string runs = Path.Combine(_corpus.Directory, "runs");
        var (code, text, errors) = Invoke(["train", "sentiment", "--data", _corpus.SstDirectory, "--embeddings", _corpus.Embeddings,
            "--runs", runs, "--epochs", "3", "--hidden", "8", "--batch-size", "8", "--seed", "5", .. SentencesOnly]);

        Assert.True(code == 0, errors);
        string folder = Assert.Single(Directory.GetDirectories(runs));
        string checkpoint = Path.Combine(folder, "sentiment.ckpt");
        string version = TextClassifier.Load(checkpoint).Info.Version;
        Assert.Equal(version, Path.GetFileName(folder)); // runs/<model>-<weights digest>/
        Assert.True(File.Exists(Path.Combine(folder, "sentiment.report.md")));
        Assert.True(File.Exists(Path.Combine(folder, "sentiment.curves.png")));
        Assert.Contains($"cp {checkpoint} models/sentiment.ckpt.tmp && mv models/sentiment.ckpt.tmp models/sentiment.ckpt", text);
        Assert.True(File.Exists(Path.Combine(folder, "sentiment.reliability.png")));
        Assert.Contains($"cp {Path.Combine(folder, "sentiment.report.md")} {Path.Combine(folder, "sentiment")}.*.png models/", text); // curves and reliability
        Assert.True(LastLineJson(text)["accuracy"] is not null, "the JSON summary stays the last line");
    }

    [Fact]
    public void TrainSentiment_ExplicitOutput_PrintsNoPromoteCommand()
    {
        string output = Path.Combine(_corpus.Directory, "explicit", "sentiment.ckpt");
        var (code, text, errors) = Invoke(["train", "sentiment", "--data", _corpus.SstDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "2", "--hidden", "8", "--batch-size", "8", .. SentencesOnly]);

        Assert.True(code == 0, errors);
        Assert.True(File.Exists(output));
        Assert.DoesNotContain("promote", text);
    }

    [Fact]
    public void TrainSentiment_SameSeedTwice_GivesTheSameVersion()
    {
        string[] Args(string output) => ["train", "sentiment", "--data", _corpus.SstDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "3", "--hidden", "8", "--batch-size", "8", "--seed", "11", .. SentencesOnly];
        string first = Path.Combine(_corpus.Directory, "a", "s.ckpt"), second = Path.Combine(_corpus.Directory, "b", "s.ckpt");
        Assert.Equal(0, Invoke(Args(first)).ExitCode);
        Assert.Equal(0, Invoke(Args(second)).ExitCode);
        Assert.Equal(TextClassifier.Load(first).Info.Version, TextClassifier.Load(second).Info.Version);
    }

    [Fact]
    public void TrainNer_ThenEvaluate_PrintsConllevalReportAndJson()
    {
        string output = Path.Combine(_corpus.Directory, "out", "ner.ckpt");
        var (code, text, errors) = Invoke("train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "6", "--hidden", "16", "--batch-size", "4", "--lr", "0.01", "--affix-dim", "4", "--seed", "2");
        Assert.True(code == 0, errors);
        var summary = LastLineJson(text);
        Assert.True(summary["f1"]!.GetValue<double>() > 0.5, text);

        var tagger = EntityTagger.Load(output);
        var result = tagger.Tag("Angela Merkel visited Paris .");
        Assert.All(result.Entities, e => Assert.Equal(e.Text, "Angela Merkel visited Paris ."[e.Start..e.End]));

        var (evalCode, evalText, _) = Invoke("evaluate", "--model", output, "--data", Path.Combine(_corpus.ConllDirectory, "dev.txt"));
        Assert.Equal(0, evalCode);
        Assert.Contains("processed 10 tokens with 4 phrases", evalText);
        var json = LastLineJson(evalText);
        foreach (var key in new[] { "f1", "precision", "recall", "perTypeF1" }) Assert.NotNull(json[key]);
    }

    [Fact]
    public void TrainNer_WithHoldOut_SelectsOnHeldOutDocumentsAndStillScoresDev()
    {
        string output = Path.Combine(_corpus.Directory, "held", "ner.ckpt");
        var (code, text, errors) = Invoke("train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "3", "--hidden", "8", "--batch-size", "4", "--affix-dim", "4", "--hold-out", "0.2");
        Assert.True(code == 0, errors);
        var summary = LastLineJson(text);
        Assert.Equal("held-out", summary["selectedOn"]!.GetValue<string>());
        Assert.InRange(summary["heldOutF1"]!.GetValue<double>(), 0, 1);
        Assert.Equal(4, summary["entities"]!.GetValue<int>()); // dev, scored at the end

        var training = Core.Checkpoints.Checkpoint.Read(output).Metadata["training"]!;
        Assert.Equal(4, training["data"]!["heldOut"]!.GetValue<int>()); // 2 of the 10 documents, 2 sentences each
        Assert.Equal(16, training["data"]!["train"]!.GetValue<int>());
        Assert.Contains("selected on held-out F1", File.ReadAllText(Path.ChangeExtension(output, null) + ".report.md"));
    }

    [Fact]
    public void TrainNer_WithKeepLast_TrainsEveryEpochAndReportsTheLastAsKept()
    {
        string output = Path.Combine(_corpus.Directory, "last", "ner.ckpt");
        var (code, text, errors) = Invoke("train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "4", "--patience", "1", "--hidden", "8", "--batch-size", "4", "--affix-dim", "4", "--hold-out", "0.2", "--keep-last");
        Assert.True(code == 0, errors);
        Assert.Equal(4, LastLineJson(text)["bestEpoch"]!.GetValue<int>()); // patience 1 stops nothing
        string report = File.ReadAllText(Path.ChangeExtension(output, null) + ".report.md");
        Assert.Contains("Last epoch kept (4 of 4", report);
        Assert.Contains("| 4 (kept) |", report);
    }

    [Fact]
    public void TrainNer_WithRefit_RetrainsOnAllDocumentsForTheSelectedEpochs()
    {
        string[] Args(string output, bool refit) => ["train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "4", "--patience", "2", "--hidden", "8", "--batch-size", "4", "--affix-dim", "4", "--hold-out", "0.2",
            "--refit", refit ? "true" : "false", "--ensemble", "1"];
        string refitted = Path.Combine(_corpus.Directory, "refit", "ner.ckpt"), selected = Path.Combine(_corpus.Directory, "selected", "ner.ckpt");
        var (code, text, errors) = Invoke(Args(refitted, refit: true));
        Assert.True(code == 0, errors);
        Assert.Equal(0, Invoke(Args(selected, refit: false)).ExitCode);

        var summary = LastLineJson(text);
        Assert.Equal("held-out", summary["selectedOn"]!.GetValue<string>());
        Assert.Equal(summary["bestEpoch"]!.GetValue<int>(), summary["refitEpochs"]!.GetValue<int>());
        Assert.InRange(summary["heldOutF1"]!.GetValue<double>(), 0, 1); // the selecting run's
        var training = Core.Checkpoints.Checkpoint.Read(refitted).Metadata["training"]!;
        Assert.Equal(20, training["refit"]!["trainSentences"]!.GetValue<int>()); // all 10 documents, the 2 held out too
        Assert.Equal(20, training["data"]!["train"]!.GetValue<int>());
        Assert.Equal(summary["bestEpoch"]!.GetValue<int>(), training["refit"]!["epochs"]!.GetValue<int>());
        Assert.Contains("retrained with the same seed on all 20 training sentences", File.ReadAllText(Path.ChangeExtension(refitted, null) + ".report.md"));
        Assert.NotEqual(EntityTagger.Load(selected).Info.Version, EntityTagger.Load(refitted).Info.Version);
        // The selecting run is the plain run with the same seed: its dev score is reported beside the refit's.
        double plainDev = Core.Checkpoints.Checkpoint.Read(selected).Metadata["metrics"]!["dev"]!["f1"]!.GetValue<double>();
        Assert.Equal(plainDev, summary["selectingRunF1"]!.GetValue<double>(), 4);
        Assert.Equal(plainDev, training["refit"]!["selectingRunDevF1"]!.GetValue<double>(), 4);
    }

    [Fact]
    public void TrainNer_WithGazetteer_StoresTheNameListsInTheCheckpoint()
    {
        string lists = Path.Combine(_corpus.Directory, "gazetteer");
        Directory.CreateDirectory(Path.Combine(lists, "human-names"));
        File.WriteAllText(Path.Combine(lists, "cities.json"), """[{"name":"Paris"},{"name":"Rio de Janeiro"}]""");
        File.WriteAllText(Path.Combine(lists, "admin1.json"), """[{"name":"Bavaria"}]""");
        File.WriteAllText(Path.Combine(lists, "countries.json"), """[{"name":{"common":"Germany","official":"Federal Republic of Germany"},"demonyms":{"eng":{"m":"German"}}}]""");
        File.WriteAllText(Path.Combine(lists, "human-names", "female-human-names-de.json"), """["Angela"]""");
        File.WriteAllText(Path.Combine(lists, "complete"), "test");
        string output = Path.Combine(_corpus.Directory, "gazetteer-run", "ner.ckpt");
        var (code, text, errors) = Invoke("train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "2", "--hidden", "8", "--batch-size", "4", "--affix-dim", "4", "--gazetteer-dim", "3", "--gazetteer", lists);
        Assert.True(code == 0, errors);
        Assert.Contains("gazetteer: 2 country, 1 given-name, 1 nationality, 2 place, 1 region names", text.ReplaceLineEndings(" "));

        var tagger = EntityTagger.Load(output);
        Assert.Equal(["Paris", "Rio de Janeiro"], tagger.Features.Gazetteer!.Lists["place"]);
        Assert.Equal(tagger.Features.Gazetteer.Rows, tagger.Network.Parameters.Single(p => p.Name == "input.gazetteer").Rows);
        Assert.NotEmpty(tagger.Tag("Angela Merkel visited Rio de Janeiro .").Tokens);
    }

    [Fact]
    public void TrainNer_WithGazetteerButNoLists_SaysHowToFetchThem()
    {
        var error = Assert.Throws<ServeNet.Training.Data.DataFormatException>(() => Invoke("train", "ner", "--data", _corpus.ConllDirectory,
            "--embeddings", _corpus.Embeddings, "--output", Path.Combine(_corpus.Directory, "y", "ner.ckpt"), "--gazetteer-dim", "3",
            "--gazetteer", Path.Combine(_corpus.Directory, "no-lists")));
        Assert.Contains("scripts/fetch-gazetteers.sh", error.Message);
    }

    [Fact]
    public void TrainNer_WithEnsemble_ShipsEverySeedInOneCheckpointAndScoresTheirMean()
    {
        string[] Args(string output, string seed, params string[] extra) => ["train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", output, "--epochs", "3", "--hidden", "8", "--batch-size", "4", "--affix-dim", "4", "--seed", seed, .. extra];
        string ensemble = Path.Combine(_corpus.Directory, "ensemble", "ner.ckpt");
        var (code, text, errors) = Invoke(Args(ensemble, "7", "--ensemble", "2"));
        Assert.True(code == 0, errors);
        string first = Path.Combine(_corpus.Directory, "seed7", "ner.ckpt"), second = Path.Combine(_corpus.Directory, "seed8", "ner.ckpt");
        Assert.Equal(0, Invoke(Args(first, "7", "--ensemble", "1")).ExitCode);
        Assert.Equal(0, Invoke(Args(second, "8", "--ensemble", "1")).ExitCode);

        var tagger = EntityTagger.Load(ensemble);
        Assert.Equal(2, tagger.Members.Count);
        // Member k is exactly the single run with seed 7 + k.
        Assert.Equal(EntityTagger.Load(first).Network.Parameters[^1].Value, tagger.Members[0].Network.Parameters[^1].Value);
        Assert.Equal(EntityTagger.Load(second).Network.Parameters[^1].Value, tagger.Members[1].Network.Parameters[^1].Value);
        var training = Core.Checkpoints.Checkpoint.Read(ensemble).Metadata["training"]!;
        Assert.Equal(2, training["ensemble"]!["members"]!.GetValue<int>());
        Assert.Contains("an ensemble of 2 taggers (seeds 7 to 8", File.ReadAllText(Path.ChangeExtension(ensemble, null) + ".report.md"));
        // The dev F1 it reports is the one evaluate gives the two single checkpoints together.
        var (_, evalText, _) = Invoke(["evaluate", "--model", first, second, "--data", Path.Combine(_corpus.ConllDirectory, "dev.txt")]);
        Assert.Equal(LastLineJson(evalText)["f1"]!.GetValue<double>(), LastLineJson(text)["f1"]!.GetValue<double>(), 4);
    }

    [Fact]
    public void TrainNer_EnsembleWithRefit_IsRejectedClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => Invoke("train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", Path.Combine(_corpus.Directory, "z", "ner.ckpt"), "--hold-out", "0.2", "--refit", "--ensemble", "2"));
        Assert.Contains("--ensemble", error.Message);
    }

    [Fact]
    public void TrainNer_RefitWithoutHoldOut_IsRejectedClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => Invoke("train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
            "--output", Path.Combine(_corpus.Directory, "x", "ner.ckpt"), "--hold-out", "0", "--refit", "--ensemble", "1"));
        Assert.Contains("--hold-out", error.Message);
    }

    [Fact]
    public void EvaluateNer_SeveralCheckpoints_ScoresTheirEnsemble()
    {
        var outputs = new[] { 4, 5 }.Select(seed =>
        {
            string output = Path.Combine(_corpus.Directory, $"ner-{seed}", "ner.ckpt");
            var (code, _, errors) = Invoke("train", "ner", "--data", _corpus.ConllDirectory, "--embeddings", _corpus.Embeddings,
                "--output", output, "--epochs", "4", "--hidden", "12", "--batch-size", "4", "--lr", "0.01", "--affix-dim", "4", "--seed", $"{seed}", "--ensemble", "1");
            Assert.True(code == 0, errors);
            return output;
        }).ToArray();

        var (evalCode, evalText, _) = Invoke(["evaluate", "--model", .. outputs, "--data", Path.Combine(_corpus.ConllDirectory, "dev.txt")]);
        Assert.Equal(0, evalCode);
        var json = LastLineJson(evalText);
        Assert.Equal(2, json["models"]!.AsArray().Count);
        Assert.InRange(json["f1"]!.GetValue<double>(), 0, 1);
    }

    [Fact]
    public void TrainSentiment_MissingData_FailsNamingTheFile()
    {
        string missing = Path.Combine(_corpus.Directory, "nowhere");
        var error = Assert.Throws<ServeNet.Training.Data.DataFormatException>(() =>
            Invoke("train", "sentiment", "--data", missing, "--embeddings", _corpus.Embeddings));
        Assert.Contains(Path.Combine(missing, "train.tsv"), error.Message);
    }

    [Fact]
    public void TrainSentiment_BadHiddenOption_IsRejectedClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => Invoke("train", "sentiment", "--hidden", "300,abc"));
        Assert.Contains("--hidden", error.Message);
    }

    [Fact]
    public void ScoreConll_PredictionsFile_PrintsConllevalText()
    {
        string path = Path.Combine(_corpus.Directory, "predictions.txt");
        File.WriteAllText(path, "EU B-ORG B-ORG\nrejects O O\n\nPeter B-PER B-LOC\n");
        var (code, text, _) = Invoke("score-conll", path);
        Assert.Equal(0, code);
        Assert.StartsWith("processed 3 tokens with 2 phrases; found: 2 phrases; correct: 1.", text);
    }
}

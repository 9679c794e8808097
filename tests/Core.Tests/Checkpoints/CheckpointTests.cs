using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ServeNet.Core.Checkpoints;
using ServeNet.Core.Kernels;
using ServeNet.Core.Layers;
using ServeNet.Core.Models;
using ServeNet.Core.Tensors;

namespace ServeNet.Core.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servenet-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Classifier<TokenBatch> Model()
    {
        var model = new Classifier<TokenBatch>(new EmbeddingBag("embed", 50, 8, 0.2f),
            [new Dense("hidden", 8, 6, Activation.Relu), new Dropout("drop", 6, 0.5f), new Dense("output", 6, 2)]);
        model.Initialize(new SeededRandom(3));
        return model;
    }

    private string SaveModel(Classifier<TokenBatch>? model = null, string name = "m.ckpt")
    {
        string path = Path.Combine(_directory, name);
        ClassifierCheckpoint.Save(path, model ?? Model(), new JsonObject { ["kind"] = "test", ["labels"] = new JsonArray("neg", "pos") });
        return path;
    }

    private static readonly TokenBatch Input = new(new[] { 1, 4, 9, 3, 3, 49 }, new[] { 0, 3, 6 });

    [Fact]
    public void SaveThenLoad_GivesIdenticalPredictionsAndMetadata()
    {
        var model = Model();
        string path = SaveModel(model);
        var checkpoint = Checkpoint.Read(path);
        var loaded = ClassifierCheckpoint.LoadTokenClassifier(checkpoint);

        Assert.Equal("test", checkpoint.Require<string>("kind"));
        Assert.Equal(["neg", "pos"], checkpoint.Require<string[]>("labels"));
        Assert.Equal(64, checkpoint.Sha256.Length);
        Assert.Equal(model.PredictProbabilities(Input, model.CreateWorkspace()).ToArray(),
                     loaded.PredictProbabilities(Input, loaded.CreateWorkspace()).ToArray());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Float16Storage_HalvesTheTableAndStaysClose()
    {
        var model = Model();
        string path = Path.Combine(_directory, "half.ckpt");
        ClassifierCheckpoint.Save(path, model, new JsonObject(), p => p.Name.EndsWith(".table") ? TensorStorage.Float16 : TensorStorage.Float32);
        var loaded = ClassifierCheckpoint.LoadTokenClassifier(Checkpoint.Read(path));
        var table = ((EmbeddingBag)loaded.Input).Table.Value;
        var original = ((EmbeddingBag)model.Input).Table.Value;
        for (int i = 0; i < table.Length; i++) Assert.Equal(original[i], table[i], 0.001f);
        Assert.True(new FileInfo(path).Length < new FileInfo(SaveModel()).Length);
    }

    [Fact]
    public void Checkpoint_FlippedByte_ThrowsChecksumMismatch()
    {
        string path = SaveModel();
        var bytes = File.ReadAllBytes(path);
        foreach (int position in new[] { 60, bytes.Length / 2, bytes.Length - 41 })
        {
            var copy = (byte[])bytes.Clone();
            copy[position] ^= 0x10;
            var error = Assert.Throws<CheckpointException>(() => Checkpoint.Parse(path, copy));
            Assert.Equal("checksum (SHA-256)", error.Field);
            Assert.Contains(path, error.Message);
            Assert.Contains("corrupted", error.Message);
        }
    }

    [Fact]
    public void Checkpoint_Truncated_ThrowsNamingBothLengths()
    {
        string path = SaveModel();
        var bytes = File.ReadAllBytes(path);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Parse(path, bytes.AsSpan(0, bytes.Length - 100)));
        Assert.Equal("file length", error.Field);
        Assert.Contains($"{bytes.Length} bytes", error.Expected);
        Assert.Contains("truncated", error.Message);
        var tiny = Assert.Throws<CheckpointException>(() => Checkpoint.Parse(path, bytes.AsSpan(0, 10)));
        Assert.Equal("header", tiny.Field);
    }

    [Fact]
    public void Checkpoint_UnknownMajorVersion_ThrowsWithUpgradeHint()
    {
        string path = SaveModel();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 2);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Parse(path, bytes));
        Assert.Equal("version.major", error.Field);
        Assert.Equal("1", error.Expected);
        Assert.Equal("2", error.Actual);
        Assert.Contains("newer ServeNet", error.Message);
    }

    [Fact]
    public void Checkpoint_NotACheckpoint_ThrowsBadMagic()
    {
        string path = Path.Combine(_directory, "notes.txt");
        File.WriteAllText(path, "these are not the weights you are looking for, not at all");
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Read(path));
        Assert.Equal("magic", error.Field);
    }

    [Fact]
    public void Checkpoint_ShapeDisagreeingWithMetadata_ThrowsNamingTheTensor()
    {
        // Weights from a model with 7 hidden units under the architecture of one with 6.
        var other = new Classifier<TokenBatch>(new EmbeddingBag("embed", 50, 8), [new Dense("hidden", 8, 7, Activation.Relu), new Dense("output", 7, 2)]);
        var metadata = new JsonObject
        {
            [ClassifierCheckpoint.ArchitectureKey] = System.Text.Json.JsonSerializer.SerializeToNode(
                new ArchitectureSpec(Model().Input.Spec, Model().Layers.Select(l => l.Spec).ToArray()), CheckpointJson.Options),
        };
        string path = Path.Combine(_directory, "mixed.ckpt");
        CheckpointWriter.Write(path, metadata, other.Parameters.Select(p => new Tensor(p.Name, [p.Rows, p.Cols], p.Value)).ToArray());

        var error = Assert.Throws<CheckpointException>(() => ClassifierCheckpoint.LoadTokenClassifier(Checkpoint.Read(path)));
        Assert.Equal("tensor 'hidden.weight' shape", error.Field);
        Assert.Equal("[8, 6] (from the metadata)", error.Expected);
        Assert.Equal("[8, 7]", error.Actual);
    }

    [Fact]
    public void Checkpoint_MissingMetadata_ThrowsNamingTheProperty()
    {
        string path = SaveModel();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Read(path).Require<string>("tokenizer"));
        Assert.Equal("metadata.tokenizer", error.Field);
    }

    [Fact]
    public void Write_FailingMidway_LeavesThePreviousCheckpointIntact()
    {
        string path = SaveModel();
        var before = File.ReadAllBytes(path);
        Directory.CreateDirectory(path + ".tmp"); // the temporary file cannot be created
        Assert.ThrowsAny<Exception>(() => SaveModel());
        Assert.Equal(before, File.ReadAllBytes(path));
        Checkpoint.Read(path);
    }

    [Fact]
    public void Read_HugeFileThatIsNotACheckpoint_IsRefusedByItsMagicWithoutBeingRead()
    {
        string path = Path.Combine(_directory, "huge.ckpt");
        using (var file = File.Create(path)) file.SetLength(1_900_000_000); // sparse: no disk, all zeros

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("magic", error.Field);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated to refuse it");
    }

    [Fact]
    public void Read_FileOverTheMaximum_IsRefusedByItsSize()
    {
        string path = SaveModel();
        long length = new FileInfo(path).Length;

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Read(path, maxBytes: length - 1));

        Assert.Equal("file size", error.Field);
        Assert.Contains($"{length} bytes", error.Message);
        Assert.NotNull(Checkpoint.Read(path, maxBytes: length));
    }

    [Fact]
    public void Read_NewerMajorVersion_IsRefusedFromTheHeader()
    {
        string path = SaveModel();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)(CheckpointFormat.Major + 1));
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Read(path));

        Assert.Equal("version.major", error.Field);
    }
}

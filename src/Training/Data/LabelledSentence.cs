namespace ServeNet.Training.Data;

/// <summary>One example of a sentence-classification corpus: its label index and its text.</summary>
public sealed record LabelledSentence(int Label, string Text);

namespace ServeNet.Training.Data;

/// <summary>A sentence of a tagging corpus: its words, their BIO (IOB2) tags, and its document's index in the file.</summary>
public sealed record TaggedSentence(string[] Words, string[] Tags, int Document = 0);

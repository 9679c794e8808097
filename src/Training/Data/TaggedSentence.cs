namespace ServeNet.Training.Data;

/// <summary>A sentence of a tagging corpus: its words and their BIO (IOB2) tags.</summary>
public sealed record TaggedSentence(string[] Words, string[] Tags);

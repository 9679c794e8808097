using ServeNet.Core.Text;

namespace ServeNet.Core.Ner;

/// <summary>A token with its BIO tag and the probability the model gives that tag.</summary>
public readonly record struct TaggedToken(TextToken Token, string Tag, float Probability);

/// <summary>
/// An entity: its type, its character range [Start, End) in the submitted text (UTF-16 code units),
/// the text itself, the tokens it spans and a score (the mean probability of its tags).
/// </summary>
public sealed record Entity(string Type, int Start, int End, string Text, float Score, int FirstToken, int LastToken);

/// <summary>The tagged tokens and entities of one text.</summary>
public sealed record TaggingResult(IReadOnlyList<TaggedToken> Tokens, IReadOnlyList<Entity> Entities);

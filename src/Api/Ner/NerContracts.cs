namespace ServeNet.Api.Ner;

/// <summary>The model that answered and one result per submitted text, in order.</summary>
/// <param name="Model">Name of the model.</param>
/// <param name="Version">Version of the model (also in the X-Model-Version header).</param>
/// <param name="Results">One result per text, in the order submitted.</param>
public sealed record NerResponse(string Model, string Version, IReadOnlyList<NerResult> Results);

/// <summary>
/// The tokens of one text with their BIO tags, and the entities they form. Every offset is in UTF-16
/// code units of the submitted string unless <c>?offsets=</c> names another unit: <c>text.Substring(start, end - start)</c>
/// (JavaScript: <c>text.slice(start, end)</c>; Python with <c>?offsets=codepoints</c>: <c>text[start:end]</c>) gives the
/// token or entity back. The tags always form a valid BIO sequence (an I-X only after a B-X or I-X).
/// </summary>
public sealed record NerResult(IReadOnlyList<NerToken> Tokens, IReadOnlyList<NerEntity> Entities);

/// <summary>A token and its tag.</summary>
/// <param name="Text">The token as it appears in the submitted text.</param>
/// <param name="Start">Offset of its first character (UTF-16 code units unless ?offsets= says otherwise).</param>
/// <param name="End">Offset just past its last character (exclusive).</param>
/// <param name="Tag">BIO tag: O, or B-/I- followed by PER, LOC, ORG or MISC.</param>
/// <param name="Probability">Probability the model gives this tag.</param>
public sealed record NerToken(string Text, int Start, int End, string Tag, float Probability);

/// <summary>An entity: a B- tag and the I- tags after it.</summary>
/// <param name="Text">The entity as it appears in the submitted text.</param>
/// <param name="Type">PER, LOC, ORG or MISC.</param>
/// <param name="Start">Offset of its first character (UTF-16 code units unless ?offsets= says otherwise).</param>
/// <param name="End">Offset just past its last character (exclusive).</param>
/// <param name="Score">Mean probability of its tags.</param>
public sealed record NerEntity(string Text, string Type, int Start, int End, float Score);

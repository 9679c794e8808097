namespace ServeNet.Core.Ner;

/// <summary>
/// The casing/shape class of a token (Collobert et al. 2011's caps feature, extended): GloVe is
/// lowercase, so case reaches the tagger only through this feature.
/// </summary>
public static class WordShape
{
    public const int Padding = 0;
    public static readonly string[] Names =
        ["<pad>", "lower", "UPPER", "Initial", "miXed", "digits", "alnum-digit", "punct", "I.", "other"];

    public static int Count => Names.Length;

    /// <summary>Whether the token is written with capitals (UPPER, Initial or miXed): how names are told from other words.</summary>
    public static bool IsCapitalised(string token) => Of(token) is 2 or 3 or 4;

    public static int Of(string token)
    {
        int letters = 0, upper = 0, lower = 0, digits = 0, other = 0;
        foreach (char c in token)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (char.IsUpper(c)) upper++;
                else if (char.IsLower(c)) lower++;
            }
            else if (char.IsDigit(c)) digits++;
            else other++;
        }
        if (letters == 0 && digits == 0) return other > 0 ? 7 : 9;
        if (letters == 0) return 5;
        if (digits > 0) return 6;
        if (upper == 0) return 1;
        if (lower == 0) return letters == 1 && token.Length <= 2 ? 8 : 2;
        if (char.IsUpper(token[0]) && upper == 1) return 3;
        return 4;
    }
}

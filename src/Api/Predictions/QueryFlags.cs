namespace ServeNet.Api.Predictions;

/// <summary>Boolean query parameters (<c>?explain=</c>) as clients write them.</summary>
public static class QueryFlags
{
    /// <summary>"true", "false" (any case), "1" or "0"; null or empty is false.</summary>
    public static bool TryParse(string? value, out bool flag)
    {
        flag = false;
        if (string.IsNullOrEmpty(value)) return true;
        if (value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)) return flag = true;
        return value == "0" || string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
    }

    public static string Describe(string value) => $"Expected true, false, 1 or 0; found \"{value}\".";
}

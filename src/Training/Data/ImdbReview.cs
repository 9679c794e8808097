namespace ServeNet.Training.Data;

/// <summary>One IMDB review: label 0 (rating ≤ 4) or 1 (rating ≥ 7), the dataset's own split, its star rating and its text as written.</summary>
public sealed record ImdbReview(int Label, string Split, int Rating, string Text);

using System.Globalization;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Collects one CSV column's cells while the file streams by. Numbers go straight into a double buffer;
/// non-numeric texts get codes into a list of distinct texts (up to <see cref="MaxCategories"/>), because the
/// column's kind is only known at the end: categorical when fewer than half of its non-empty cells are
/// numbers, or when asked. Numeric columns thus cost one number parse per cell and nothing else.
/// </summary>
internal sealed class CsvColumnAccumulator(string name, int fileIndex, bool forcedCategorical, int capacity)
{
    /// <summary>Beyond this many distinct texts a column is an identifier or free text, not a category.</summary>
    public const int MaxCategories = 10_000;

    private const int KeptBadCells = ErrorCollector.DefaultLimit;

    private double[] _numbers = new double[Math.Max(16, capacity)];
    private int[]? _textCodes; // per row: code of a non-numeric text, -1 otherwise; allocated at the first text
    private Dictionary<string, int>? _textIds = new(StringComparer.Ordinal);
    private readonly List<string> _texts = [];
    private readonly List<(int Row, string Text)> _firstNonNumeric = [];

    public string Name { get; } = name;
    public int FileIndex { get; } = fileIndex;
    public bool ForcedCategorical { get; } = forcedCategorical;
    public int Count { get; private set; }
    public int NumericCells { get; private set; }
    public int NonNumericCells { get; private set; }

    /// <summary>Rows and texts of the first non-numeric cells (for errors when the column turns out numeric).</summary>
    public IReadOnlyList<(int Row, string Text)> FirstNonNumeric => _firstNonNumeric;

    /// <summary>Empty, NA, NaN and null mean "no value", as in pandas.</summary>
    public static bool IsMissing(string text) =>
        text.Length == 0 || text is "NA" or "N/A" or "NaN" or "nan" or "null" or "NULL" || string.IsNullOrWhiteSpace(text);

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public void Add(string text)
    {
        var row = Count;
        if (row == _numbers.Length) Grow();
        Count++;
        if (!ForcedCategorical && TryParseNumber(text, out var number))
        {
            _numbers[row] = number;
            NumericCells++;
            return;
        }
        _numbers[row] = double.NaN;
        text = text.Trim();
        if (IsMissing(text)) return;
        NonNumericCells++;
        if (_firstNonNumeric.Count < KeptBadCells) _firstNonNumeric.Add((row, text));
        if (_textIds is null) return;
        if (!_textIds.TryGetValue(text, out var id))
        {
            if (_texts.Count == MaxCategories) { _textIds = null; _textCodes = null; return; }
            _textIds[text] = id = _texts.Count;
            _texts.Add(text);
        }
        if (_textCodes is null)
        {
            _textCodes = new int[_numbers.Length];
            Array.Fill(_textCodes, -1);
        }
        _textCodes[row] = id;
    }

    private void Grow()
    {
        Array.Resize(ref _numbers, _numbers.Length * 2);
        if (_textCodes is null) return;
        var old = _textCodes.Length;
        Array.Resize(ref _textCodes, _numbers.Length);
        _textCodes.AsSpan(old).Fill(-1);
    }

    /// <summary>Categorical when asked for, or when fewer than half of the non-empty cells are numbers.</summary>
    public bool IsCategorical => ForcedCategorical || (NonNumericCells > 0 && NumericCells * 2 < NumericCells + NonNumericCells);

    /// <summary>Whether the distinct texts were all kept (false: too many to be categories).</summary>
    public bool HasCategories => _textIds is not null;

    public (ColumnInfo Info, double[] Values) ToNumeric() =>
        (ColumnInfo.Numeric(Name), Count == _numbers.Length ? _numbers : _numbers[..Count]);

    /// <summary>
    /// Codes into the sorted distinct texts (ordinal order, so A, U, W for the CTA day types). The few numeric
    /// cells of a mostly-text column become categories by their invariant text ("1", "2.5").
    /// </summary>
    public (ColumnInfo Info, double[] Values) ToCategorical()
    {
        var textOf = new string?[Count];
        var distinct = new HashSet<string>(_texts, StringComparer.Ordinal);
        for (var row = 0; row < Count; row++)
        {
            if (_textCodes is not null && _textCodes[row] >= 0) textOf[row] = _texts[_textCodes[row]];
            else if (!double.IsNaN(_numbers[row]))
            {
                textOf[row] = _numbers[row].ToString("R", CultureInfo.InvariantCulture);
                distinct.Add(textOf[row]!);
            }
        }
        var sorted = distinct.Order(StringComparer.Ordinal).ToArray();
        var codes = new Dictionary<string, double>(sorted.Length, StringComparer.Ordinal);
        for (var code = 0; code < sorted.Length; code++) codes[sorted[code]] = code;
        var values = new double[Count];
        for (var row = 0; row < Count; row++)
            values[row] = textOf[row] is { } text ? codes[text] : double.NaN;
        return (new ColumnInfo(Name, ColumnKind.Categorical, sorted), values);
    }
}

using System.Globalization;
using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Collects one CSV column's cells while the file streams by. Numbers go straight into a double buffer;
/// distinct texts are also remembered (up to <see cref="MaxCategories"/>) because the column's kind is only
/// known at the end: categorical when fewer than half of its non-empty cells are numbers, or when asked.
/// </summary>
internal sealed class CsvColumnAccumulator(string name, int fileIndex, bool forcedCategorical, int capacity)
{
    /// <summary>Beyond this many distinct texts a column is an identifier or free text, not a category.</summary>
    public const int MaxCategories = 10_000;

    private const int KeptBadCells = ErrorCollector.DefaultLimit;

    private double[] _numbers = new double[Math.Max(16, capacity)];
    private int[]? _textCodes = new int[Math.Max(16, capacity)];
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
        text.Length == 0 || text is "NA" or "N/A" or "NaN" or "nan" or "null" or "NULL";

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public void Add(string text)
    {
        var row = Count;
        if (row == _numbers.Length) Grow();
        Count++;
        if (IsMissing(text))
        {
            _numbers[row] = double.NaN;
            if (_textCodes is not null) _textCodes[row] = -1;
            return;
        }
        if (!ForcedCategorical && TryParseNumber(text, out var number))
        {
            _numbers[row] = number;
            NumericCells++;
        }
        else
        {
            _numbers[row] = double.NaN;
            NonNumericCells++;
            if (_firstNonNumeric.Count < KeptBadCells) _firstNonNumeric.Add((row, text));
        }
        if (_textIds is null) return;
        if (!_textIds.TryGetValue(text, out var id))
        {
            if (_texts.Count == MaxCategories) { _textIds = null; _textCodes = null; return; }
            _textIds[text] = id = _texts.Count;
            _texts.Add(text);
        }
        _textCodes![row] = id;
    }

    private void Grow()
    {
        Array.Resize(ref _numbers, _numbers.Length * 2);
        if (_textCodes is not null) Array.Resize(ref _textCodes, _textCodes.Length * 2);
    }

    /// <summary>Categorical when asked for, or when fewer than half of the non-empty cells are numbers.</summary>
    public bool IsCategorical => ForcedCategorical || (NonNumericCells > 0 && NumericCells * 2 < NumericCells + NonNumericCells);

    /// <summary>Whether the distinct texts were all kept (false: too many to be categories).</summary>
    public bool HasCategories => _textCodes is not null;

    public (ColumnInfo Info, double[] Values) ToNumeric() =>
        (ColumnInfo.Numeric(Name), Count == _numbers.Length ? _numbers : _numbers[..Count]);

    /// <summary>Codes into the sorted distinct texts (ordinal order, so A, U, W for the CTA day types).</summary>
    public (ColumnInfo Info, double[] Values) ToCategorical()
    {
        var sorted = _texts.Order(StringComparer.Ordinal).ToArray();
        var codeOfId = new double[_texts.Count];
        for (var code = 0; code < sorted.Length; code++) codeOfId[_textIds![sorted[code]]] = code;
        var values = Count == _numbers.Length ? _numbers : new double[Count];
        for (var row = 0; row < Count; row++)
            values[row] = _textCodes![row] < 0 ? double.NaN : codeOfId[_textCodes[row]];
        return (new ColumnInfo(Name, ColumnKind.Categorical, sorted), values);
    }
}

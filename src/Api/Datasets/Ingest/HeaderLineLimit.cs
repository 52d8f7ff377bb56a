namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// Passes a CSV through, but ends it early when the first line (the header) runs past <paramref name="maxHeaderChars"/>
/// without a line break, so an oversized header is refused after reading about that much, not buffered whole.
/// </summary>
internal sealed class HeaderLineLimit(TextReader inner, int maxHeaderChars) : TextReader
{
    private bool _headerEnded;
    private int _headerChars;

    /// <summary>The header was longer than the limit; what was read of it is incomplete.</summary>
    public bool Exceeded { get; private set; }

    public int MaxHeaderChars => maxHeaderChars;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (Exceeded) return 0;
        var read = inner.Read(buffer);
        if (_headerEnded || read == 0) return read;
        var newline = buffer[..read].IndexOf('\n');
        if (newline >= 0) _headerEnded = true;
        else if ((_headerChars += read) > maxHeaderChars)
        {
            Exceeded = true;
            return 0;
        }
        return read;
    }

    public override int Peek() => Exceeded ? -1 : inner.Peek();

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }
}

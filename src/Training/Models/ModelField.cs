namespace Forecasting.Training.Models;

/// <summary>
/// One field of <c>model</c> that a kind reads (its wire name, as in <see cref="Forecasting.Domain.ModelSpec"/>),
/// described for clients: the API refuses the fields a kind does not declare, and the dashboard builds its form
/// from them. The kind's own validation stays the authority on values; the bounds here say the same for clients.
/// </summary>
public sealed record ModelField(string Name, ModelFieldType Type, string Description)
{
    /// <summary>The value used when the field is omitted; null when there is none or it depends on the data (the description says how).</summary>
    public object? Default { get; init; }

    /// <summary>Whether a request must give the field (it has no default).</summary>
    public bool Required { get; init; }

    /// <summary>A typical value, for fields without a default.</summary>
    public object? Example { get; init; }

    /// <summary>The accepted strings of a <see cref="ModelFieldType.Choice"/>.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>The smallest accepted value (of each element, for a list).</summary>
    public double? Minimum { get; init; }

    /// <summary>The largest accepted value (of each element, for a list).</summary>
    public double? Maximum { get; init; }

    /// <summary>A bound the value must stay below (dropout: 1).</summary>
    public double? ExclusiveMaximum { get; init; }
}

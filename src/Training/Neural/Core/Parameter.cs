namespace Forecasting.Training.Neural.Core;

/// <summary>
/// A named float32 tensor of a layer with its gradient. Shapes follow PyTorch conventions
/// (a dense weight is [out, in]); the name is what safetensors files store.
/// Non-trainable parameters (batch-norm moving statistics) are saved but never optimised.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, int[] shape, bool trainable = true)
    {
        Name = name;
        Shape = shape;
        Trainable = trainable;
        var size = 1;
        foreach (var d in shape) size *= d;
        Value = new float[size];
        Grad = new float[size];
    }

    public string Name { get; }
    public int[] Shape { get; }
    public bool Trainable { get; }
    public float[] Value { get; private set; }
    public float[] Grad { get; }
    public int Length => Value.Length;

    /// <summary>Reads and writes <paramref name="source"/>'s values from now on (a data-parallel replica's layer
    /// shares the trained network's weights but keeps its own gradient).</summary>
    internal void ShareValues(Parameter source)
    {
        if (source.Length != Length) throw new ArgumentException($"{Name} has {Length} values, {source.Name} {source.Length}");
        Value = source.Value;
    }

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
